package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;

/** Plain JDBC on whole rows, as someone with the database file would do it. */
final class Rows {
    private Rows() {
    }

    static List<Map<String, Object>> read(Connection c, String table, String where) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE " + where)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static void update(Connection c, String table, Map<String, Object> row, String column, Object value)
            throws SQLException {
        // A NULL column (messages.send_key of a block from elsewhere) matches only IS NULL.
        List<String> keys = row.keySet().stream().filter(k -> row.get(k) != null).toList();
        List<String> nulls = row.keySet().stream().filter(k -> row.get(k) == null).toList();
        List<String> matches = new ArrayList<>(keys.stream().map(k -> k + " = ?").toList());
        nulls.forEach(k -> matches.add(k + " IS NULL"));
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE "
                + String.join(" AND ", matches))) {
            s.setObject(1, value);
            for (int i = 0; i < keys.size(); i++) {
                s.setObject(i + 2, row.get(keys.get(i)));
            }
            assertEquals(1, s.executeUpdate(), "exactly one row edited");
        }
    }

    static void insert(Connection c, String table, Map<String, Object> row) throws SQLException {
        List<String> keys = new ArrayList<>(row.keySet());
        String sql = "INSERT INTO " + table + " (" + String.join(",", keys) + ") VALUES ("
                + String.join(",", keys.stream().map(k -> "?").toList()) + ")";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.size(); i++) {
                s.setObject(i + 1, row.get(keys.get(i)));
            }
            s.executeUpdate();
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** A binary literal for a hash or key given in hex, as someone typing SQL against the binary layout would write it. */
    static String bin(String hex) {
        return "X'" + hex + "'";
    }

    static String bin(byte[] bytes) {
        return bin(Hex.encode(bytes));
    }

    /**
     * The same bytes with one bit, anywhere, flipped; or a byte short (a value of the wrong length, which
     * the validation must report as malformed rather than trip over).
     */
    static byte[] changed(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return new byte[] {0};
        }
        if (random.nextInt(4) == 0) {
            return java.util.Arrays.copyOf(bytes, bytes.length - 1);
        }
        byte[] edited = bytes.clone();
        edited[random.nextInt(edited.length)] ^= (byte) (1 << random.nextInt(8));
        return edited;
    }

    /**
     * The same text with one character, anywhere, changed: to another lower-case hex digit (hex stays
     * valid hex), or to its upper case (the same number to a lenient parser).
     */
    static String changed(String text, Random random) {
        if (text.isEmpty()) {
            return "0";
        }
        int at = random.nextInt(text.length());
        char old = text.charAt(at);
        char other = random.nextBoolean() && Character.isLowerCase(old) ? Character.toUpperCase(old)
                : old == '0' ? '1' : old == 'a' ? 'b' : '0';
        return text.substring(0, at) + other + text.substring(at + 1);
    }

    /** The ledger row the repository writes for {@code append}, column by column, for inserting it by hand. */
    static Map<String, Object> ledgerRow(LedgerRepository.Append append) {
        Block block = append.block();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("hash", Tables.hashBytes(block.hash()));
        row.put("parents", Tables.parentBytes(block.parents()));
        row.put("height", block.height());
        row.put("author", Hex.decode(block.author(), Tables.KEY_BYTES, "author"));
        row.put("grp", block.isGenesis() ? new byte[0] : Tables.hashBytes(block.header().group()));
        row.put("ts", block.timestamp().toEpochMilli());
        row.put("kind", block.kind().code());
        row.put("body", block.body().encode());
        row.put("context", Tables.parentBytes(append.context()));
        row.put("signature", Hex.decode(block.signature(), Tables.SIGNATURE_BYTES, "signature"));
        row.put("order_ts", append.key().orderTs());
        row.put("sort_key", append.key().sortKeyBytes());
        row.put("seal", Hex.decode(append.seal(), Tables.SEAL_BYTES, "seal"));
        return row;
    }

    /** The message row the repository writes for {@code append} (a message), for inserting it by hand. */
    static Map<String, Object> messageRow(LedgerRepository.Append append) {
        Block block = append.block();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sort_key", append.key().sortKeyBytes());
        row.put("hash", Tables.hashBytes(block.hash()));
        row.put("author", Hex.decode(block.author(), Tables.KEY_BYTES, "author"));
        row.put("sender", append.shown().name());
        row.put("ts", block.timestamp().toEpochMilli());
        row.put("text", block.body(Body.Message.class).text());
        row.put("shown", append.shown().counts());
        row.put("seal", Hex.decode(append.shownSeal(), Tables.SEAL_BYTES, "seal"));
        return row;
    }
}
