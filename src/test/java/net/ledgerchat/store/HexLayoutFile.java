package net.ledgerchat.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.ledger.Hex;

/**
 * An H2 file as the version before the binary layout left it: the tables made by its DDL (h2-schema-hex.sql, the
 * h2-schema.sql of that version) holding, as hex text, exactly the rows of a ledger written through today's unit.
 * What an upgraded node finds on disk.
 */
final class HexLayoutFile {
    private HexLayoutFile() {
    }

    static void write(TestLedger source, String url) throws SQLException, IOException {
        try (Connection from = source.connect(); Connection to = DriverManager.getConnection(url, "chat", "chat");
             Statement s = to.createStatement()) {
            for (String ddl : oldSchema()) {
                s.execute(ddl);
            }
            for (String table : List.of(Tables.LEDGER, Tables.LINKS, Tables.MESSAGES, Tables.META, Tables.HEADS)) {
                copy(from, to, table);
            }
        }
    }

    private static void copy(Connection from, Connection to, String table) throws SQLException {
        // The hex layout had no send_key column (AddedColumns adds it after the migration).
        String select = table.equals(Tables.MESSAGES) ? "SELECT sort_key, author, hash, sender, text, ts FROM " : "SELECT * FROM ";
        try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery(select + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement insert = to.prepareStatement(sql)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        Object value = rs.getObject(i);
                        insert.setObject(i, value instanceof byte[] bytes ? hex(columns.get(i - 1), bytes) : value);
                    }
                    insert.executeUpdate();
                }
            }
        }
    }

    /** The text the hex layout held: lower-case hex, parents comma-joined. */
    private static String hex(String column, byte[] bytes) {
        if (!column.equalsIgnoreCase("parents")) {
            return Hex.encode(bytes);
        }
        return String.join(",", Tables.parentHashes(bytes));
    }

    private static List<String> oldSchema() throws IOException {
        return ChatUnit.resourceStatements("h2-schema-hex.sql");
    }
}
