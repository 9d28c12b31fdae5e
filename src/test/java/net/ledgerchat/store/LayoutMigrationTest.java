package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 file in the hex layout of the version before, holding a real ledger, moved to the binary layout: it must
 * come out valid to the scan, with the same blocks, heads and messages in the same order, and the very schema a
 * new node generates. A migration killed at any step that commits must be finished by the next start, which
 * runs schema generation first, as Payara does.
 */
class LayoutMigrationTest {
    private static final String GROUP = "migration-test";
    private static final int BLOCKS = 300;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static ExecutorService pool;
    private static int files;

    @BeforeAll
    static void writeLedger() {
        ledger = TestLedger.write(GROUP, NodeIdentity.generate(), dir.resolve("binary"), BLOCKS, 3);
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        ledger.close();
    }

    @Test
    void aHexLedgerIsMovedToTheBinaryLayoutWhole() throws Exception {
        String url = hexFile();
        List<String> log = new ArrayList<>();
        try (Connection c = connect(url)) {
            assertTrue(new LayoutMigration(c, log::add).run());
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[DB] Copied " + BLOCKS + " rows of ledger")), log.toString());
        try (EntityManagerFactory unit = generateSchema(url)) {
            assertMigrated(url, unit);
        }
        try (Connection c = connect(url)) {
            assertFalse(new LayoutMigration(c, log::add).run(), "a second start finds nothing to do");
        }
    }

    @Test
    void aMigrationKilledAtAnyStepIsFinishedByTheNextStart() throws Exception {
        List<String> steps = new ArrayList<>();
        try (Connection c = connect(hexFile())) {
            new LayoutMigration(c, line -> { }, steps::add).run();
        }
        assertEquals(12, steps.size(), steps.toString());
        for (String step : steps) {
            String url = hexFile();
            try (Connection c = connect(url)) {
                LayoutMigration killed = new LayoutMigration(c, line -> { }, reached -> {
                    if (reached.equals(step)) {
                        throw new SQLException("killed after " + step);
                    }
                });
                assertThrows(SQLException.class, killed::run, step);
            }
            // The next start: Payara deploys the unit (schema generation) before the ledger is moved.
            try (EntityManagerFactory restarted = generateSchema(url); Connection c = connect(url)) {
                // After the last drop only the indexes are left to make: no tables move, so it answers false.
                assertEquals(!step.equals(steps.get(steps.size() - 1)), new LayoutMigration(c, line -> { }).run(), step);
                assertMigrated(url, restarted);
            }
        }
    }

    @Test
    void hexDamagedBehindTheNodesBackStaysVisibleDamage() throws Exception {
        String url = hexFile();
        String damaged = ledger.hashes.get(77);
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE ledger SET signature = 'not hex' WHERE hash = '" + damaged + "'");
            s.executeUpdate("UPDATE messages SET author = UPPER(author) WHERE hash = '" + damaged + "'");
            new LayoutMigration(c, line -> { }).run();
        }
        ScanResult scan = scan(url);
        assertFalse(scan.valid());
        assertTrue(scan.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.MALFORMED && damaged.equals(p.block())),
                scan.problems().toString());
    }

    /** Schema generation leaves an existing table as it is: an index of the unit a binary ledger lacks is made on start. */
    @Test
    void aBinaryLedgerWithoutAnIndexOfTheUnitGetsItOnStart() throws Exception {
        Path file = dir.resolve("binary-" + files++);
        String url = "jdbc:h2:file:" + file.resolve("chat") + ";WRITE_DELAY=0";
        try (EntityManagerFactory unit = generateSchema(url)) {
            unit.createEntityManager().close();
        }
        Set<String> generated = schema(url);
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("DROP INDEX " + Tables.LEDGER_SORT_KEY_DESC);
            s.execute("DROP INDEX " + Tables.MESSAGES_SORT_KEY_DESC);
            s.execute("DROP INDEX ledger_parent_by_parent");
            assertFalse(schema(url).equals(generated));
            assertFalse(new LayoutMigration(c, line -> { }).run(), "no table moves");
        }
        assertEquals(generated, schema(url));
    }

    /**
     * Ledgers from before {@code messages} was keyed by sort key hold it keyed by hash: they move the same, and two
     * message rows with one sort key (damage the old key allowed) do not stop the start; the scan reports them.
     */
    @Test
    void messagesKeyedByHashFromAnOlderVersionMoveToo() throws Exception {
        String url = hexFile();
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE messages DROP PRIMARY KEY");
            s.execute("DROP INDEX messages_sort_key_desc");
            s.execute("ALTER TABLE messages ADD PRIMARY KEY (hash)");
            new LayoutMigration(c, line -> { }).run();
        }
        try (EntityManagerFactory unit = generateSchema(url)) {
            assertMigrated(url, unit);
        }
        String url2 = hexFile();
        String copied = ledger.hashes.get(120);
        try (Connection c = connect(url2); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE messages DROP PRIMARY KEY");
            s.execute("ALTER TABLE messages ADD PRIMARY KEY (hash)");
            s.executeUpdate("INSERT INTO messages (sort_key, author, hash, sender, text, ts) SELECT sort_key, author, '"
                    + "ab".repeat(32) + "', sender, 'a second row under one sort key', ts FROM messages WHERE hash = '"
                    + copied + "'");
            new LayoutMigration(c, line -> { }).run();
        }
        ScanResult scan = scan(url2);
        assertFalse(scan.valid());
        assertTrue(scan.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.PROJECTION), scan.problems().toString());
    }

    /** Only H2 files are moved: anywhere else the start is refused with one line that says what to do. */
    @Test
    void aHexLedgerOnAnotherDatabaseIsRefusedWithWhatToDo() throws Exception {
        String url = hexFile();
        try (Connection c = connect(url)) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> new LayoutMigration(calling(c, "Microsoft SQL Server"), line -> { }).run());
            assertTrue(refused.getMessage().startsWith("[DB] This Microsoft SQL Server database holds the ledger in the hex"
                    + " layout"), refused.getMessage());
            assertTrue(refused.getMessage().contains("sync the ledger from peers"), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));
        }
        try (Connection c = connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ledger WHERE LENGTH(hash) = 64")) {
            rs.next();
            assertEquals(BLOCKS, rs.getLong(1), "the refused ledger is left as it was");
        }
    }

    /** {@code connection}, except that its metadata names another database product. */
    private static Connection calling(Connection connection, String product) {
        java.sql.DatabaseMetaData meta;
        try {
            meta = connection.getMetaData();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        java.sql.DatabaseMetaData renamed = (java.sql.DatabaseMetaData) java.lang.reflect.Proxy.newProxyInstance(
                LayoutMigrationTest.class.getClassLoader(), new Class<?>[] {java.sql.DatabaseMetaData.class},
                (proxy, method, args) -> method.getName().equals("getDatabaseProductName") ? product
                        : invoke(method, meta, args));
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(LayoutMigrationTest.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("getMetaData") ? renamed : invoke(method, connection, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void assertMigrated(String url, EntityManagerFactory migrated) throws Exception {
        ScanResult scan = scan(url);
        assertTrue(scan.valid(), scan.problems().toString());
        assertEquals(BLOCKS, scan.blocks());
        assertEquals(schema(ledger.url), schema(url));
        EntityManager original = ledger.factory.createEntityManager();
        EntityManager moved = migrated.createEntityManager();
        try {
            LedgerRepository before = new LedgerRepository(original);
            LedgerRepository after = new LedgerRepository(moved);
            assertEquals(before.blocksAfter(Optional.empty(), BLOCKS + 1), after.blocksAfter(Optional.empty(), BLOCKS + 1));
            assertEquals(new HashSet<>(before.heads()), new HashSet<>(after.heads()));
            assertEquals(before.messagesBefore(Optional.empty(), BLOCKS + 1), after.messagesBefore(Optional.empty(), BLOCKS + 1));
            assertEquals(before.digest(), after.digest());
        } finally {
            original.close();
            moved.close();
        }
    }

    private static ScanResult scan(String url) throws SQLException {
        return new LedgerScanner(GROUP, ledger.node::seal, ledger.heads, true).scan(() -> connect(url), pool, 2);
    }

    /** Columns and indexes of the three migrated tables, as H2 describes them. */
    private static Set<String> schema(String url) throws SQLException {
        Set<String> schema = new HashSet<>();
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH,"
                    + " IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC'")) {
                while (rs.next()) {
                    schema.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + "(" + rs.getLong(4) + ") "
                            + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT i.INDEX_NAME, i.TABLE_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME,"
                    + " c.ORDINAL_POSITION, c.ORDERING_SPECIFICATION FROM INFORMATION_SCHEMA.INDEXES i"
                    + " JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c ON c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME"
                    + " WHERE i.TABLE_SCHEMA = 'PUBLIC'")) {
                while (rs.next()) {
                    // Primary keys get generated names; what counts is that there is one, on which columns.
                    String name = rs.getString(3).equals("PRIMARY KEY") ? "pk" : rs.getString(1);
                    schema.add(name + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                            + rs.getInt(5) + " " + rs.getString(6));
                }
            }
        }
        return schema;
    }

    /** A fresh hex-layout copy of the test ledger; its JDBC URL. */
    private static String hexFile() throws Exception {
        Path file = dir.resolve("hex-" + files++);
        Files.createDirectories(file);
        String url = "jdbc:h2:file:" + file.resolve("chat") + ";WRITE_DELAY=0";
        HexLayoutFile.write(ledger, url);
        return url;
    }

    private static EntityManagerFactory generateSchema(String url) {
        return ChatUnit.open(url, "chat", "chat", dir.resolve("ddl-" + files++ + ".sql"), Map.of());
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "chat", "chat");
    }
}
