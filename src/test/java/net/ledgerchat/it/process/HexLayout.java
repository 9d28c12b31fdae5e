package net.ledgerchat.it.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Turns a stopped node's H2 file back into what the version before the binary layout wrote: that version's
 * DDL (the test resource h2-schema-hex.sql) holding the same rows as lower-case hex text, parents comma-joined.
 * So a test can start today's node on the file an upgrade finds.
 */
final class HexLayout {
    private static final List<String> TABLES = List.of("ledger", "ledger_parent", "messages");
    private static final List<String> COPY = List.of(
            "INSERT INTO ledger (hash, author, height, message, order_ts, parents, seal, sender, signature, sort_key, ts)"
                    + " SELECT RAWTOHEX(hash), RAWTOHEX(author), height, message, order_ts,"
                    + " REGEXP_REPLACE(RAWTOHEX(parents), '(.{64})(?=.)', '$1,'), RAWTOHEX(seal), sender,"
                    + " RAWTOHEX(signature), RAWTOHEX(sort_key), ts FROM ledger_binary",
            "INSERT INTO ledger_parent (child_hash, parent_hash) SELECT RAWTOHEX(child_hash), RAWTOHEX(parent_hash)"
                    + " FROM ledger_parent_binary",
            "INSERT INTO messages (sort_key, author, hash, sender, text, ts) SELECT RAWTOHEX(sort_key), RAWTOHEX(author),"
                    + " RAWTOHEX(hash), sender, text, ts FROM messages_binary");

    private HexLayout() {
    }

    static void downgrade(String url) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(url, "chat", "chat"); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("ALTER TABLE " + table + " RENAME TO " + table + "_binary");
                // Index names are per schema in H2: the old DDL's indexes need theirs.
                s.execute("DROP INDEX IF EXISTS " + (table.equals("ledger_parent") ? "ledger_parent_by_parent" : table + "_sort_key_desc"));
            }
            s.execute("DROP INDEX IF EXISTS ledger_sort_key");
            for (String ddl : oldSchema()) {
                if (TABLES.stream().anyMatch(t -> ddl.matches("CREATE (UNIQUE )?(TABLE|INDEX \\w+ ON) " + t + " .*"))) {
                    s.execute(ddl);
                }
            }
            for (String copy : COPY) {
                s.execute(copy);
            }
            for (String table : TABLES) {
                s.execute("DROP TABLE " + table + "_binary");
            }
        }
    }

    private static List<String> oldSchema() throws IOException {
        try (InputStream in = HexLayout.class.getResourceAsStream("/net/ledgerchat/store/h2-schema-hex.sql")) {
            if (in == null) {
                throw new IOException("h2-schema-hex.sql is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        }
    }
}
