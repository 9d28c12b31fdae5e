package net.ledgerchat.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;

/**
 * Edits a running node's H2 database behind its back, through H2's automatic server mode. Hashes, keys,
 * signatures, seals and sort keys are stored as bytes: SQL names a hash with {@link #bin}.
 */
public final class Tamper {
    private final String url;

    /** {@code url}: the node's H2 URL, with {@code AUTO_SERVER=TRUE} as the node opens it. */
    public Tamper(String url) {
        this.url = url;
    }

    /** The SQL literal of a hash given in hex: {@code X'...'}. */
    public static String bin(String hex) {
        // Refuses anything but lower-case hex: the value goes into the SQL text.
        Hex.decode(hex, hex.length() / 2, "hex value");
        return "X'" + hex + "'";
    }

    /** One edit of the database, applied on a connection {@link #atOnce} or the single-edit methods open. */
    @FunctionalInterface
    public interface Edit {
        void apply(Connection c) throws SQLException;
    }

    public void exec(String sql) throws SQLException {
        atOnce(statement(sql));
    }

    /**
     * Commits the edits as one transaction, so that a validation running meanwhile sees all of them or
     * none: a scan that saw only some would repair those, and a second repair would report the rest.
     */
    public void atOnce(Edit... edits) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                for (Edit edit : edits) {
                    edit.apply(c);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** An SQL statement that must change exactly one row. */
    public static Edit statement(String sql) {
        return c -> {
            try (Statement s = c.createStatement()) {
                if (s.executeUpdate(sql) != 1) {
                    throw new IllegalStateException("expected one row changed by " + sql);
                }
            }
        };
    }

    /** A copy of one ledger row that can be put back after deleting it. */
    public Row saveLedgerRow(String hash) throws SQLException {
        return saveRow("ledger", hash);
    }

    public Row saveMessageRow(String hash) throws SQLException {
        return saveRow("messages", hash);
    }

    private Row saveRow(String table, String hash) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE hash = ?")) {
            s.setBytes(1, Hex.decode(hash, Block.HASH_BYTES, "hash"));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no " + table + " row " + hash);
                }
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i));
                    values.add(rs.getObject(i));
                }
                return new Row(table, columns, values);
            }
        }
    }

    /** Inserts a real, correctly hashed and signed block straight into the table, without this node's seal. */
    public void insertForged(Block block) throws SQLException {
        atOnce(forged(block));
    }

    /** The insertion of {@link #insertForged}, as one edit of several. */
    public static Edit forged(Block block) {
        return c -> insertForged(c, block);
    }

    private static void insertForged(Connection c, Block block) throws SQLException {
        OrderKey key = new OrderKey(block.timestamp().toEpochMilli(), block.height(), block.hash());
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO ledger (hash, parents, height, author, grp, ts, kind, body, context, signature, order_ts,"
                        + " sort_key, seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setBytes(1, Hex.decode(block.hash(), Block.HASH_BYTES, "hash"));
            s.setBytes(2, Hex.decode(String.join("", block.parents()), block.parents().size() * Block.HASH_BYTES, "parents"));
            s.setLong(3, block.height());
            s.setBytes(4, Hex.decode(block.author(), Block.KEY_BYTES, "author"));
            s.setBytes(5, block.isGenesis() ? new byte[0] : Hex.decode(block.header().group(), Block.HASH_BYTES, "group"));
            s.setLong(6, block.timestamp().toEpochMilli());
            s.setInt(7, block.kind().code());
            s.setBytes(8, block.body().encode());
            s.setBytes(9, new byte[0]);
            s.setBytes(10, Hex.decode(block.signature(), Block.SIGNATURE_BYTES, "signature"));
            s.setLong(11, key.orderTs());
            s.setBytes(12, key.sortKeyBytes());
            s.setBytes(13, new byte[32]);
            s.executeUpdate();
        }
    }

    public void delete(Block block) throws SQLException {
        exec("DELETE FROM ledger WHERE hash = " + bin(block.hash()));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "chat", "chat");
    }

    public final class Row {
        private final String table;
        private final List<String> columns;
        private final List<Object> values;

        Row(String table, List<String> columns, List<Object> values) {
            this.table = table;
            this.columns = columns;
            this.values = values;
        }

        public Object value(String column) {
            return values.get(columns.indexOf(column));
        }

        public void restore() throws SQLException {
            String sql = "INSERT INTO " + table + " (" + String.join(",", columns) + ") VALUES ("
                    + String.join(",", columns.stream().map(c -> "?").toList()) + ")";
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.size(); i++) {
                    s.setObject(i + 1, values.get(i));
                }
                s.executeUpdate();
            }
        }
    }
}
