package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation scan against a real H2 file written through the real persistence unit and
 * repository: a DAG of blocks from two authors, committed in groups as the writer does. Every
 * seeded tamper (any column of any table edited, a row deleted or inserted, two texts swapped) must
 * make the scan invalid, and undoing it must make it valid again, whatever the number of passes.
 */
class LedgerScannerTest {
    private static final String GROUP = "scanner-test";
    private static final int BLOCKS = 240;
    private static final int SEEDS = 120;
    private static final NodeIdentity NODE = NodeIdentity.generate();
    private static final NodeIdentity PEER = NodeIdentity.generate();

    @TempDir
    static Path dir;
    private static String url;
    private static EntityManagerFactory factory;
    private static ExecutorService pool;
    private static List<String> heads;
    private static List<String> hashes;

    @BeforeAll
    static void writeLedger() throws Exception {
        url = "jdbc:h2:file:" + dir.resolve("chat") + ";WRITE_DELAY=0";
        factory = ChatUnit.open(url, "chat", "chat", dir.resolve("ddl.sql"), Map.of());
        pool = Executors.newFixedThreadPool(4);
        Random random = new Random(42);
        Seal seal = NODE.seal();
        TreeSet<OrderKey> tips = new TreeSet<>();
        SetDigest digest = SetDigest.EMPTY;
        hashes = new ArrayList<>();
        long clock = 1_700_000_000_000L;
        EntityManager em = factory.createEntityManager();
        LedgerRepository repository = new LedgerRepository(em);
        int written = 0;
        while (written < BLOCKS) {
            int group = Math.min(BLOCKS - written, 1 + random.nextInt(5));
            List<LedgerRepository.Append> appends = new ArrayList<>();
            for (int i = 0; i < group; i++) {
                // Some blocks follow one random tip only, so the DAG keeps several heads that later blocks merge.
                List<OrderKey> parents = tips.isEmpty() ? List.of()
                        : random.nextInt(3) == 0 ? List.of(new ArrayList<>(tips).get(random.nextInt(tips.size())))
                        : List.copyOf(tips);
                NodeIdentity author = random.nextBoolean() ? NODE : PEER;
                clock += random.nextInt(3);
                Block block = new BlockFactory(GROUP, author).create(parents, author == NODE ? "Node" : "Peer",
                        Instant.ofEpochMilli(clock), "message " + written + " " + "x".repeat(random.nextInt(40)));
                OrderKey key = OrderKey.of(block, parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0));
                appends.add(new LedgerRepository.Append(block, key, seal.compute(block.hash(), block.signature(), key.orderTs())));
                tips.removeAll(parents);
                tips.add(key);
                digest = digest.plus(block.hash());
                hashes.add(block.hash());
                written++;
            }
            List<String> headHashes = tips.stream().map(OrderKey::hash).sorted().toList();
            em.getTransaction().begin();
            repository.append(appends, new LedgerRepository.SealedDigest(digest, seal.compute(digest)),
                    new LedgerRepository.SealedHeads(headHashes, seal.compute(digest.count(), headHashes)));
            em.getTransaction().commit();
        }
        em.close();
        heads = tips.stream().map(OrderKey::hash).toList();
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        factory.close();
    }

    private static ScanResult scan(int parts) throws SQLException {
        return new LedgerScanner(GROUP, NODE::seal, heads, false)
                .scan(() -> DriverManager.getConnection(url, "chat", "chat"), pool, parts);
    }

    @Test
    void anIntactLedgerIsValidWithAnyNumberOfPasses() throws SQLException {
        for (int parts = 1; parts <= 4; parts++) {
            ScanResult result = scan(parts);
            assertTrue(result.valid(), "parts=" + parts + ": " + result.problems());
            assertEquals(BLOCKS, result.blocks());
        }
    }

    @Test
    void theFullSignaturePassFindsNothingOnAnIntactLedger() throws SQLException {
        ScanResult result = new LedgerScanner(GROUP, NODE::seal, heads, true)
                .scan(() -> DriverManager.getConnection(url, "chat", "chat"), pool, 2);
        assertTrue(result.valid(), result.problems().toString());
    }

    @Test
    void everySeededTamperIsFoundAndItsUndoIsValidAgain() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Random random = new Random(seed);
                Tampering tamper = Tampering.pick(random, hashes);
                tamper.apply(c, random);
                ScanResult damaged = scan(1 + random.nextInt(3));
                assertFalse(damaged.valid(), "seed " + seed + ": " + tamper + " went unnoticed");
                tamper.undo(c);
                ScanResult repaired = scan(1 + random.nextInt(3));
                assertTrue(repaired.valid(), "seed " + seed + ": after undoing " + tamper + ": " + repaired.problems());
            }
        }
    }

    /** One change behind the node's back, with the rows it touched so it can be undone exactly. */
    private static final class Tampering {
        private static final String[][] COLUMNS = {
            {"ledger", "parents"}, {"ledger", "height"}, {"ledger", "author"}, {"ledger", "sender"},
            {"ledger", "ts"}, {"ledger", "message"}, {"ledger", "signature"}, {"ledger", "order_ts"},
            {"ledger", "sort_key"}, {"ledger", "seal"}, {"messages", "sort_key"}, {"messages", "author"},
            {"messages", "sender"}, {"messages", "ts"}, {"messages", "text"}, {"ledger_parent", "parent_hash"},
            {"ledger_meta", "block_count"}, {"ledger_meta", "digest"},
        };
        private static final String[] DELETABLE = {"ledger", "messages", "ledger_parent"};
        private final String table;
        private final String where;
        private final String column;
        private List<Map<String, Object>> saved = List.of();

        private Tampering(String table, String where, String column) {
            this.table = table;
            this.where = where;
            this.column = column;
        }

        static Tampering pick(Random random, List<String> hashes) {
            // Never the first block: it has no parent links to edit or delete.
            String hash = hashes.get(1 + random.nextInt(hashes.size() - 1));
            int choice = random.nextInt(COLUMNS.length + DELETABLE.length);
            String table = choice < COLUMNS.length ? COLUMNS[choice][0] : DELETABLE[choice - COLUMNS.length];
            String where = switch (table) {
                case "ledger_meta" -> "id = 1";
                case "ledger_parent" -> "child_hash = '" + hash + "'";
                default -> "hash = '" + hash + "'";
            };
            return new Tampering(table, where, choice < COLUMNS.length ? COLUMNS[choice][1] : null);
        }

        void apply(Connection c, Random random) throws SQLException {
            saved = Rows.read(c, table, where);
            if (saved.isEmpty()) {
                throw new IllegalStateException("no row to tamper with: " + this);
            }
            if (column == null) {
                Rows.exec(c, "DELETE FROM " + table + " WHERE " + where);
                return;
            }
            // One row only (a block may have several parent links).
            Map<String, Object> row = saved.get(0);
            Object value = row.get(column.toUpperCase(java.util.Locale.ROOT));
            Object edited = value instanceof String text ? Rows.changed(text, random) : ((Number) value).longValue() + 1;
            Rows.update(c, table, row, column, edited);
        }

        void undo(Connection c) throws SQLException {
            Rows.exec(c, "DELETE FROM " + table + " WHERE " + where);
            for (Map<String, Object> row : saved) {
                Rows.insert(c, table, row);
            }
        }

        @Override
        public String toString() {
            return (column == null ? "delete " + table : "edit " + table + "." + column) + " where " + where;
        }
    }

    /** Plain JDBC on whole rows, as someone with the database file would do it. */
    private static final class Rows {
        private Rows() {
        }

        static List<Map<String, Object>> read(Connection c, String table, String where) throws SQLException {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE " + where)) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
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
            List<String> keys = new ArrayList<>(row.keySet());
            String match = String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE " + match)) {
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
    }
}
