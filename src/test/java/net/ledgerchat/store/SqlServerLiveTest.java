package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.persistence.platform.database.SQLServerPlatform;
import org.eclipse.persistence.sessions.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL Server schema on a real SQL Server: the only test that proves SQL Server accepts the DDL
 * and keeps every character (see {@link SqlServerSchemaTest} for what H2 can and cannot stand in
 * for). It runs when {@code LEDGERCHAT_TEST_SQLSERVER_URL} holds a JDBC URL, e.g.
 * {@code jdbc:sqlserver://host:1433;databaseName=chattest;encrypt=true;trustServerCertificate=true},
 * with {@code LEDGERCHAT_TEST_SQLSERVER_USER} and {@code _PASSWORD} if the URL does not carry them.
 * Give it a scratch database: it drops and re-creates the tables ledger, ledger_parent, messages
 * ledger_meta and ledger_heads there, so an old schema cannot pass for the new one.
 */
@EnabledIfEnvironmentVariable(named = "LEDGERCHAT_TEST_SQLSERVER_URL", matches = ".+",
        disabledReason = "no SQL Server given: set LEDGERCHAT_TEST_SQLSERVER_URL (and _USER, _PASSWORD) to run it")
class SqlServerLiveTest {
    private static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH"
            + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA_NAME()"
            + " AND TABLE_NAME IN ('ledger', 'ledger_parent', 'messages', 'ledger_meta', 'ledger_heads') AND (DATA_TYPE LIKE '%char%' OR DATA_TYPE LIKE '%binary%')";

    @TempDir
    Path dir;

    @Test
    void theSchemaIsCreatedAndTheWidestBlockSurvives() {
        // No target database named: EclipseLink detects SQL Server from the connection, as in Payara.
        try (EntityManagerFactory factory = ChatUnit.open(System.getenv("LEDGERCHAT_TEST_SQLSERVER_URL"),
                System.getenv("LEDGERCHAT_TEST_SQLSERVER_USER"), System.getenv("LEDGERCHAT_TEST_SQLSERVER_PASSWORD"),
                dir.resolve("create.sql"), Map.of("jakarta.persistence.schema-generation.database.action", "drop-and-create"))) {
            Map<String, String> columns = stringColumns(factory);
            assertEquals("nvarchar(-1)", columns.get("messages.text"), "NVARCHAR(MAX) is reported as length -1: " + columns);
            assertEquals("nvarchar(256)", columns.get("messages.sender"));
            // The binary layout: hashes, keys and seals 32 bytes, the signature 64, the sort key 48, parents up to 64
            // hashes; body and membership context longer than VARBINARY(n) allows, so VARBINARY(MAX).
            assertEquals("varbinary(-1)", columns.get("ledger.body"));
            assertEquals("varbinary(-1)", columns.get("ledger.context"));
            assertEquals("varbinary(32)", columns.get("ledger.grp"));
            assertEquals("varbinary(2048)", columns.get("ledger.parents"));
            assertEquals("varbinary(32)", columns.get("ledger.hash"));
            assertEquals("varbinary(32)", columns.get("ledger_parent.parent_hash"));
            assertEquals("varbinary(64)", columns.get("ledger.signature"));
            assertEquals("varbinary(48)", columns.get("messages.sort_key"));
            columns.forEach((column, type) -> assertTrue(type.startsWith("nvarchar(") || type.startsWith("varbinary("),
                    column + " is " + type));
            UnicodeRoundTrip.run(factory);
        }
    }

    /** "table.column" to "type(length)" for the character and binary columns SQL Server holds for the unit's tables. */
    private static Map<String, String> stringColumns(EntityManagerFactory factory) {
        EntityManager em = factory.createEntityManager();
        try {
            assertInstanceOf(SQLServerPlatform.class, em.unwrap(Session.class).getPlatform(), "the platform EclipseLink detected");
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(COLUMNS).getResultList();
            Map<String, String> columns = new TreeMap<>();
            for (Object[] row : rows) {
                columns.put(row[0] + "." + row[1], row[2] + "(" + row[3] + ")");
            }
            return columns;
        } finally {
            em.close();
        }
    }
}
