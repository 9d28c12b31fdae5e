package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses a format-1 ledger rather than read it as format 2: it is recognised by its {@code ledger} table's
 * {@code message} column, which a format-2 ledger (header fields, body bytes) does not have.
 */
class FormatOneLedgerTest {
    /** The ledger table format 1 created on H2 (its h2-schema.sql), with one of its rows' columns. */
    private static final String FORMAT_ONE_LEDGER = "CREATE TABLE ledger (hash VARBINARY(32) NOT NULL, author VARBINARY(32)"
            + " NOT NULL, height BIGINT NOT NULL, message VARCHAR(262144) NOT NULL, order_ts BIGINT NOT NULL, parents"
            + " VARBINARY(2048) NOT NULL, seal VARBINARY(32) NOT NULL, sender VARCHAR(256) NOT NULL, signature"
            + " VARBINARY(64) NOT NULL, sort_key VARBINARY(48) NOT NULL, ts BIGINT NOT NULL, PRIMARY KEY (hash))";

    @TempDir
    Path dir;

    @Test
    void aFormatOneLedgerIsRecognised() throws SQLException {
        try (Connection c = memory()) {
            Rows.exec(c, FORMAT_ONE_LEDGER);
            assertTrue(FormatOneLedger.isIn(c));
        }
    }

    @Test
    void aFormatTwoLedgerIsNot() throws SQLException {
        String url = "jdbc:h2:mem:" + UUID.randomUUID();
        // The unit creates its schema; the in-memory database lives as long as the factory's connections.
        try (EntityManagerFactory unit = ChatUnit.open(url, "sa", "", dir.resolve("create.sql"), Map.of());
             Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertTrue(Rows.read(c, "ledger", "1 = 1").isEmpty(), "the format-2 ledger table is there");
            assertFalse(FormatOneLedger.isIn(c));
        }
    }

    @Test
    void anEmptyDatabaseHoldsNoFormatOneLedger() throws SQLException {
        try (Connection c = memory()) {
            assertFalse(FormatOneLedger.isIn(c));
            // A message column elsewhere is not a format-1 ledger.
            Rows.exec(c, "CREATE TABLE notes (id INTEGER PRIMARY KEY, message VARCHAR(100))");
            assertFalse(FormatOneLedger.isIn(c));
        }
    }

    private static Connection memory() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "");
    }
}
