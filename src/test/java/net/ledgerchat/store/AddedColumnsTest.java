package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the version before {@code messages.send_key} (today's schema without it, holding a message)
 * gets the column, empty, and keeps its rows; run again, or on a database without the tables yet, it adds nothing.
 * The result is the table schema generation makes today.
 */
class AddedColumnsTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseFromBeforeGetsTheColumnEmptyAndKeepsItsRows() throws Exception {
        List<String> logged = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : ChatUnit.resourceStatements("h2-schema.sql")) {
                s.execute(statement.replace(" send_key VARCHAR(64),", ""));
            }
            s.execute("INSERT INTO messages (sort_key, author, hash, sender, text, ts) VALUES (X'01', X'02', X'03', 'a', 'hi', 1)");
            assertEquals(List.of("messages.send_key"), new AddedColumns(c, logged::add).run());
            assertEquals(1, logged.size(), "one [DB] line: " + logged);
            try (ResultSet r = s.executeQuery("SELECT text, send_key FROM messages")) {
                r.next();
                assertEquals("hi", r.getString(1));
                assertNull(r.getString(2));
            }
            assertEquals(List.of(), new AddedColumns(c, logged::add).run(), "a second run");
            assertEquals(messagesTable(ChatUnit.resourceStatements("h2-schema.sql")), messagesTable(c));
        }
    }

    @Test
    void aDatabaseWithoutTheTablesGetsNothing() throws SQLException {
        try (Connection c = connect()) {
            assertEquals(List.of(), new AddedColumns(c, line -> { }).run());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("chat") + ";WRITE_DELAY=0", "chat", "chat");
    }

    /** The columns of {@code messages} as H2 lists them, in order: name and type. */
    private static List<String> messagesTable(Connection c) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet r = c.getMetaData().getColumns(null, null, "MESSAGES", null)) {
            while (r.next()) {
                columns.add(r.getString("COLUMN_NAME").toLowerCase() + " " + r.getString("TYPE_NAME") + "(" + r.getInt("COLUMN_SIZE") + ")");
            }
        }
        return columns.stream().sorted().toList();
    }

    private static List<String> messagesTable(List<String> schema) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:", "sa", ""); Statement s = c.createStatement()) {
            for (String statement : schema) {
                s.execute(statement);
            }
            return messagesTable(c);
        }
    }
}
