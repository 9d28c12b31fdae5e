package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.persistence.internal.helper.DBPlatformHelper;
import org.eclipse.persistence.logging.AbstractSessionLog;
import org.eclipse.persistence.platform.database.SQLServerPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL Server schema, checked without a SQL Server: the real {@code chat} unit runs with
 * EclipseLink's SQLServerPlatform against H2 in {@code MODE=MSSQLServer}.
 *
 * <p>What this proves: the DDL EclipseLink sends to a SQL Server declares every String column
 * NVARCHAR (Unicode), the columns longer than 4000 NVARCHAR(MAX), and no NVARCHAR(n) past SQL
 * Server's limit of 4000; and the unit, speaking the SQL Server platform's SQL, stores and reads
 * back the widest block the columns allow. What it cannot prove: H2 in MSSQLServer mode accepts
 * NVARCHAR(MAX), but it also accepts NVARCHAR(262144) and plain VARCHAR, and keeps Unicode in
 * every string type; so the round trip here would pass with the broken schema too. That SQL Server
 * itself accepts this DDL and keeps every character is proven only by {@link SqlServerLiveTest},
 * which runs when a SQL Server URL is given.
 */
class SqlServerSchemaTest {
    /** A string column in a CREATE TABLE: name, then its type with length and any NOT NULL. */
    private static final Pattern STRING_COLUMN = Pattern.compile("(\\w+) (N?(?:VAR)?CHAR\\((?:\\d+|MAX)\\)(?: NOT NULL)?)");
    private static final Pattern BINARY_COLUMN = Pattern.compile("(\\w+) ((?:VAR)?BINARY\\((?:\\d+|MAX)\\)(?: NOT NULL)?|IMAGE(?: NOT NULL)?|LONGVARBINARY(?: NOT NULL)?)");
    private static final Pattern NVARCHAR_LENGTH = Pattern.compile("NVARCHAR\\((\\d+)\\)");
    /** The largest n SQL Server accepts in VARBINARY(n); longer values need VARBINARY(MAX). */
    private static final int VARBINARY_LIMIT = 8000;

    @TempDir
    Path dir;

    @Test
    void stringsAreUnicodeAndTheLongOnesAreNvarcharMax() {
        Map<String, String> columns = stringColumns(sqlServerDdl());

        assertEquals("NVARCHAR(MAX) NOT NULL", columns.get("messages.text"));
        assertEquals("NVARCHAR(256) NOT NULL", columns.get("messages.sender"), "display names are Unicode too");
        assertEquals("NVARCHAR(64) NOT NULL", columns.get("ledger_meta.digest"));
        columns.forEach((column, type) -> {
            assertTrue(type.startsWith("NVARCHAR("), column + " is " + type + ", not Unicode on SQL Server");
            Matcher length = NVARCHAR_LENGTH.matcher(type);
            assertTrue(!length.find() || Integer.parseInt(length.group(1)) <= SqlServerStrings.NVARCHAR_LIMIT,
                    column + " is " + type + ": SQL Server refuses NVARCHAR(n) past 4000");
        });
    }

    /**
     * Hashes, keys, signature, seal and sort key are bytes of a known length. Left alone EclipseLink declares a
     * byte[] IMAGE on SQL Server, which cannot be a key or indexed; {@link StoreColumns} makes them VARBINARY(n).
     * SQL Server takes n up to 8,000 only: the body (a message of up to 262,144 bytes) and the membership context
     * (up to 256 hashes, 8,192 bytes) must be VARBINARY(MAX), or SQL Server refuses the CREATE TABLE.
     */
    @Test
    void binaryColumnsAreVarbinaryOfTheirLength() {
        Map<String, String> columns = ChatUnit.columns(sqlServerDdl(), BINARY_COLUMN);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String hash : List.of("ledger.hash", "ledger.author", "ledger.grp", "ledger.seal", "messages.hash", "messages.seal",
                "messages.author", "ledger_parent.child_hash", "ledger_parent.parent_hash")) {
            expected.put(hash, "VARBINARY(32) NOT NULL");
        }
        expected.put("ledger.signature", "VARBINARY(64) NOT NULL");
        expected.put("ledger.parents", "VARBINARY(2048) NOT NULL");
        expected.put("ledger.sort_key", "VARBINARY(48) NOT NULL");
        expected.put("messages.sort_key", "VARBINARY(48) NOT NULL");
        expected.put("ledger.body", "VARBINARY(MAX) NOT NULL");
        expected.put("ledger.context", "VARBINARY(MAX) NOT NULL");
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(columns));
        columns.forEach((column, type) -> {
            Matcher length = Pattern.compile("VARBINARY\\((\\d+)\\)").matcher(type);
            assertTrue(!length.find() || Integer.parseInt(length.group(1)) <= VARBINARY_LIMIT,
                    column + " is " + type + ": SQL Server refuses VARBINARY(n) past 8000");
        });
    }

    /** SQL Server reads an index backwards by itself; the indexes are there because the one schema serves both. */
    @Test
    void theDescendingSortKeyIndexesAreDeclaredAsSqlServerWritesThem() {
        List<String> ddl = sqlServerDdl();
        assertTrue(ddl.contains("CREATE INDEX ledger_sort_key_desc ON ledger (sort_key DESC)"), ddl.toString());
        assertTrue(ddl.contains("CREATE INDEX messages_sort_key_desc ON messages (sort_key DESC)"), ddl.toString());
    }

    @Test
    void theWidestBlockSurvivesARoundTripInSqlServerMode() {
        try (EntityManagerFactory factory = sqlServerMode(dir.resolve("create.sql"))) {
            UnicodeRoundTrip.run(factory);
        }
    }

    /**
     * Payara names no target database, so EclipseLink picks the platform from the driver's product
     * name; the customizer acts only if that pick is a SQLServerPlatform. (The tests above must
     * name it: H2 in MSSQLServer mode still calls itself H2.)
     */
    @Test
    void eclipseLinkPicksSqlServerPlatformForMicrosoftsDriver() {
        String detected = DBPlatformHelper.getDBPlatform("Microsoft SQL Server", "0", "16", AbstractSessionLog.getLog());
        assertEquals(SQLServerPlatform.class.getName(), detected);
    }

    private List<String> sqlServerDdl() {
        Path script = dir.resolve("create.sql");
        try (EntityManagerFactory ignored = sqlServerMode(script)) {
            return ChatUnit.statements(script);
        }
    }

    /** The unit with EclipseLink's SQL Server platform, on a fresh H2 database that imitates SQL Server. */
    private static EntityManagerFactory sqlServerMode(Path script) {
        return ChatUnit.open("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MSSQLServer", "sa", "", script,
                Map.of("eclipselink.target-database", "SQLServer"));
    }

    /** "table.column" to its declared type, for every character column of every CREATE TABLE. */
    private static Map<String, String> stringColumns(List<String> ddl) {
        return ChatUnit.columns(ddl, STRING_COLUMN);
    }
}
