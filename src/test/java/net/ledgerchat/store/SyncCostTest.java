package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.peer.BlockIndex;
import net.ledgerchat.peer.SyncPlanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What answering a sync request costs the responder's database, on real H2 files written through the real
 * persistence unit and repository: two ledgers of 2,000 and 20,000 blocks (a group of four authors founded,
 * then their messages: a chain with occasional forks that later blocks merge), and requesters that lack the
 * newest k blocks. The planning walk is production's: {@link SyncPlanner} over {@code repository.linksOf} (as {@code ContainerLedger}
 * wires it), then one {@code repository.find} per block sent (as {@code PeerSession.answer} does).
 *
 * <p>Rows read are counted by H2 itself ({@code INFORMATION_SCHEMA.QUERY_STATISTICS}: rows each statement
 * returned), and every statement the sync ran must be a primary-key seek ({@code EXPLAIN}), so a row
 * returned is a row read: a full scan, however it is written, fails one of the two checks. The bound is
 * {@code rows <= C * (k + BATCH)} with C = 2: each missing block is read exactly twice (once by the walk,
 * once to send it); everything else the walk reads (the requester's heads and probes, at most 25, and the
 * common blocks where its history begins and beside the gap on parallel branches, a handful in a DAG this
 * narrow) fits in the 2 * BATCH rows left over. About a dozen are used; a scan of the 2,000-block ledger
 * alone would need 2,000.
 */
class SyncCostTest {
    /** SYNC_BATCH_SIZE's default: blocks per SYNC_RESPONSE. */
    private static final int BATCH = 50;
    private static final int C = 2;
    private static final int[] MISSING = {0, 1, 10, 100, 1_000};
    private static final NodeIdentity[] AUTHORS = {NodeIdentity.generate(), NodeIdentity.generate(),
        NodeIdentity.generate(), NodeIdentity.generate()};
    /** A member whose node is ahead on a fork: blocks this ledger never stored. */
    private static final NodeIdentity FORKER = AUTHORS[3];
    /** Every block either ledger or a fork made: what a requester knows of its own blocks. */
    private static final KnownBlocks KNOWN = new KnownBlocks();

    @TempDir
    static Path dir;
    private static Ledger small;
    private static Ledger large;

    @BeforeAll
    static void writeLedgers() throws SQLException {
        small = Ledger.write(dir.resolve("small"), 2_000, 1);
        large = Ledger.write(dir.resolve("large"), 20_000, 2);
    }

    @AfterAll
    static void close() throws SQLException {
        for (Ledger l : new Ledger[] {small, large}) {
            if (l != null) {
                l.close();
            }
        }
    }

    @Test
    void plansExactlyWhatIsMissingParentsFirstAtACostThatDoesNotGrowWithTheLedger() throws SQLException {
        for (int k : MISSING) {
            Map<Ledger, Cost> costs = new LinkedHashMap<>();
            for (Ledger ledger : List.of(small, large)) {
                List<OrderKey> theirs = ledger.keys.subList(0, ledger.keys.size() - k);
                Cost cost = ledger.sync(request(theirs));
                List<OrderKey> expected = new ArrayList<>(ledger.keys.subList(ledger.keys.size() - k, ledger.keys.size()));
                expected.sort(null);
                String where = ledger + ", k=" + k;
                assertEquals(expected.stream().map(OrderKey::hash).toList(), cost.planned(),
                        where + ": not exactly the missing blocks in ledger order");
                ledger.assertParentsFirst(cost.planned(), where);
                assertEquals(k, cost.sent(), where + ": blocks sent");
                assertTrue(cost.rows() <= (long) C * (k + BATCH), where + ": " + cost);
                costs.put(ledger, cost);
            }
            long smallRows = costs.get(small).rows();
            long largeRows = costs.get(large).rows();
            System.out.printf("k=%,d missing: rows read %,d (2,000 blocks) vs %,d (20,000 blocks)%n", k, smallRows, largeRows);
            // Ten times the ledger, the same work: only the walk's view of the DAG near the gap may differ.
            assertTrue(largeRows <= smallRows + BATCH && smallRows <= largeRows + BATCH,
                    "k=" + k + ": " + smallRows + " rows on 2,000 blocks, " + largeRows + " on 20,000");
        }
    }

    @Test
    void aRequesterAheadOnAForkFindsTheCommonPointThroughItsProbes() throws SQLException {
        for (Ledger ledger : List.of(small, large)) {
            for (int k : new int[] {1, 10, 100, 1_000}) {
                List<OrderKey> common = ledger.keys.subList(0, ledger.keys.size() - k);
                List<OrderKey> theirs = new ArrayList<>(common);
                theirs.addAll(KNOWN.fork(common, 5, FORKER, ledger.group));
                Cost cost = ledger.sync(request(theirs));
                Set<String> lacking = new HashSet<>();
                ledger.keys.subList(ledger.keys.size() - k, ledger.keys.size()).forEach(key -> lacking.add(key.hash()));
                Set<String> resent = new HashSet<>(cost.planned());
                resent.removeAll(lacking);
                String where = ledger + ", k=" + k + " behind, 5 ahead on a fork";
                System.out.println(where + ": " + cost + ", " + resent.size() + " sent again");
                assertTrue(cost.planned().containsAll(lacking), where + ": a missing block not planned");
                // Its heads are unknown here, so the common point is the newest probe this node knows: what
                // lies between that probe and the fork is sent again, at this ledger's rate less than a batch.
                assertTrue(resent.size() <= BATCH, where + ": " + resent.size() + " blocks sent again");
                ledger.assertParentsFirst(cost.planned(), where);
                assertTrue(cost.rows() <= (long) C * (k + BATCH), where + ": " + cost);
            }
        }
        // Without the probes nothing the requester names is known here: everything would be sent again.
        List<OrderKey> common = small.keys.subList(0, small.keys.size() - 10);
        List<OrderKey> theirs = new ArrayList<>(common);
        theirs.addAll(KNOWN.fork(common, 5, FORKER, small.group));
        assertEquals(small.keys.size(), small.sync(KNOWN.heads(theirs)).planned().size());
    }

    @Test
    void theProbesHereFollowTheRepositoryRule() {
        for (Ledger ledger : List.of(small, large)) {
            EntityManager em = ledger.factory.createEntityManager();
            try {
                List<String> repository = new LedgerRepository(em).newestAtOrBefore(KnownBlocks.cutoffs(ledger.keys));
                assertEquals(KNOWN.probes(ledger.keys), repository, ledger + ": the test's probes differ from the repository's");
            } finally {
                em.close();
            }
        }
    }

    /** What a sync request from a node holding {@code held} names: its heads, then its probes. */
    private static List<String> request(List<OrderKey> held) {
        List<String> theirs = new ArrayList<>(KNOWN.heads(held));
        theirs.addAll(KNOWN.probes(held));
        return theirs;
    }

    /**
     * One sync answer's cost. {@code rows}: rows H2 returned to all statements of the answer; {@code lookups}
     * and {@code found}: the planner's index calls, and those that found a block.
     */
    record Cost(List<String> planned, long sent, long lookups, long found, long rows) {
        @Override
        public String toString() {
            return rows + " rows read (" + lookups + " walk lookups, " + found + " found; " + sent + " blocks sent, "
                    + planned.size() + " planned)";
        }
    }

    /** A responder's ledger in its own H2 file. */
    private static final class Ledger {
        private final String name;
        private final EntityManagerFactory factory;
        private final Connection admin;
        /** Insertion order: parents always before children. */
        private final List<OrderKey> keys = new ArrayList<>();
        private final List<String> heads = new ArrayList<>();
        private GroupBlocks group;

        private Ledger(String name, EntityManagerFactory factory, Connection admin) {
            this.name = name;
            this.factory = factory;
            this.admin = admin;
        }

        static Ledger write(Path dir, int size, long seed) throws SQLException {
            String url = "jdbc:h2:file:" + dir.resolve("chat");
            EntityManagerFactory factory = ChatUnit.open(url, "chat", "chat", dir.resolve("ddl.sql"), Map.of());
            Ledger ledger = new Ledger(String.format("%,d blocks", size), factory, DriverManager.getConnection(url, "chat", "chat"));
            ledger.group = RealisticLedger.write(factory, size, seed, AUTHORS, ledger.keys, KNOWN);
            ledger.heads.addAll(KNOWN.heads(ledger.keys));
            return ledger;
        }

        /** Plans and "sends" the answer to {@code theirs} as production does, counting what H2 reads. */
        Cost sync(Collection<String> theirs) throws SQLException {
            try (Statement s = admin.createStatement()) {
                // Turning the statistics off and on empties them.
                s.execute("SET QUERY_STATISTICS FALSE");
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            EntityManager em = factory.createEntityManager();
            long[] calls = new long[2];
            List<String> planned;
            long sent = 0;
            try {
                LedgerRepository repository = new LedgerRepository(em);
                SyncPlanner planner = new SyncPlanner(hash -> {
                    calls[0]++;
                    BlockIndex.Entry entry = repository.linksOf(hash)
                            .map(l -> new BlockIndex.Entry(l.key(), l.parents())).orElse(null);
                    calls[1] += entry == null ? 0 : 1;
                    return entry;
                });
                planned = planner.missing(heads, theirs);
                for (String hash : planned) {
                    sent += repository.find(hash).isPresent() ? 1 : 0;
                }
            } finally {
                em.close();
            }
            return new Cost(planned, sent, calls[0], calls[1], rowsRead());
        }

        /** Rows returned to the sync's statements; fails unless every one of them is a primary-key seek. */
        private long rowsRead() throws SQLException {
            long rows = 0;
            List<String> statements = new ArrayList<>();
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT,"
                    + " CUMULATIVE_ROW_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rs.next()) {
                    if (!rs.getString(1).contains("QUERY_STATISTICS") && !H2Plans.isCatalogLookup(rs.getString(1))) {
                        statements.add(rs.getString(1));
                        rows += rs.getLong(2);
                    }
                }
            }
            for (String sql : statements) {
                try (PreparedStatement explain = admin.prepareStatement("EXPLAIN " + sql);
                     ResultSet plan = explain.executeQuery()) {
                    plan.next();
                    String text = plan.getString(1);
                    assertTrue(text.matches("(?s).*/\\* PUBLIC\\.PRIMARY_KEY_\\w*: HASH = \\?1 \\*/.*"),
                            "the sync ran a statement that is not a primary-key seek:\n" + sql + "\nplan:\n" + text);
                }
            }
            return rows;
        }

        void assertParentsFirst(List<String> planned, String where) {
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < planned.size(); i++) {
                at.put(planned.get(i), i);
            }
            for (String h : planned) {
                for (String p : KNOWN.parents(h)) {
                    assertTrue(!at.containsKey(p) || at.get(p) < at.get(h), where + ": a child planned before its parent");
                }
            }
        }

        void close() throws SQLException {
            admin.close();
            factory.close();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
