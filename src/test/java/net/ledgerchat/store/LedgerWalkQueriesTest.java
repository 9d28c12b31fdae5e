package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two downward reads of the sync walk on a real H2 file written through the real unit: {@code linkedBefore}
 * (up to {@code limit} blocks strictly before a key in ledger order, nearest first) and {@code newestAtOrBefore}
 * (the newest block at or before each cutoff). The expected answers come from the written keys sorted in memory
 * by {@link OrderKey}'s own order, so the database's order must be exactly the ledger order, ties included. Both
 * read downwards from a key, which must cost the rows read, not the rows below the key.
 */
class LedgerWalkQueriesTest {
    private static final int BLOCKS = 1_500;
    private static final int[] LIMITS = {1, 2, 8, 64, 1_024, BLOCKS + 10};
    private static final String LOWEST_HASH = "0".repeat(64);
    private static final String HIGHEST_HASH = "f".repeat(64);
    private static final Pattern SCAN_COUNT = Pattern.compile("/\\* scanCount: (\\d+) \\*/");

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static NavigableSet<OrderKey> sorted;

    @BeforeAll
    static void write() {
        ledger = TestLedger.write("walk-queries", NodeIdentity.generate(), dir, BLOCKS, 11);
        sorted = new TreeSet<>();
        ledger.written.values().forEach(a -> sorted.add(a.key()));
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void theLedgerHasTiesInOrderTimestampForTheOrderToBreak() {
        List<OrderKey> keys = new ArrayList<>(sorted);
        long ties = 0;
        for (int i = 1; i < keys.size(); i++) {
            ties += keys.get(i).orderTs() == keys.get(i - 1).orderTs() ? 1 : 0;
        }
        assertTrue(ties > 100, "only " + ties + " neighbours share an order timestamp");
    }

    @Test
    void linkedBeforeAnswersTheBlocksStrictlyBelowTheKeyNearestFirstUpToTheLimit() {
        read(repository -> {
            for (OrderKey key : probes()) {
                for (int limit : LIMITS) {
                    List<LedgerRepository.Linked> expected = sorted.headSet(key, false).descendingSet().stream()
                            .limit(limit).map(k -> new LedgerRepository.Linked(k, parentsOf(k))).toList();
                    assertEquals(expected, repository.linkedBefore(key, limit), "before " + key + ", limit " + limit);
                }
            }
            return null;
        });
    }

    @Test
    void belowTheFirstBlockThereIsNothing() {
        read(repository -> {
            assertEquals(List.of(), repository.linkedBefore(sorted.first(), 8));
            assertEquals(List.of(), repository.linkedBefore(new OrderKey(0, 0, LOWEST_HASH), 8));
            return null;
        });
    }

    @Test
    void newestAtOrBeforeNamesTheNewestBlockOfEachCutoffOnce() {
        List<Long> cutoffs = new ArrayList<>();
        cutoffs.add(sorted.last().orderTs() + 1_000);
        for (OrderKey key : probes()) {
            cutoffs.add(key.orderTs());
            cutoffs.add(key.orderTs() - 1);
        }
        cutoffs.add(0L);
        List<String> expected = new ArrayList<>();
        for (long cutoff : cutoffs) {
            OrderKey newest = sorted.lower(new OrderKey(cutoff + 1, 0, LOWEST_HASH));
            if (newest != null && !expected.contains(newest.hash())) {
                expected.add(newest.hash());
            }
        }
        assertEquals(expected, read(repository -> repository.newestAtOrBefore(cutoffs)));
    }

    /**
     * Each read costs what it returns, wherever the key is: H2 reads the descending sort-key index in order and
     * stops at the limit ({@code EXPLAIN ANALYZE} of the SQL EclipseLink sent; scanCount is the rows H2 touched).
     */
    @Test
    void eachReadWalksTheDescendingIndexAndStopsAtTheLimit() throws SQLException {
        List<OrderKey> keys = new ArrayList<>(sorted);
        for (OrderKey key : List.of(keys.get(keys.size() - 1), keys.get(keys.size() / 2), keys.get(20))) {
            for (int limit : new int[] {8, 1_024}) {
                String plan = plan(() -> read(r -> r.linkedBefore(key, limit)), key.sortKey(), limit, 0);
                assertReadsInIndexOrder(plan, Math.min(limit, sorted.headSet(key).size()));
            }
            String bound = new OrderKey(key.orderTs() + 1, 0, LOWEST_HASH).sortKey();
            assertReadsInIndexOrder(plan(() -> read(r -> r.newestAtOrBefore(List.of(key.orderTs()))), bound, 1, 0), 1);
        }
    }

    private static void assertReadsInIndexOrder(String plan, int rows) {
        assertTrue(plan.contains("/* PUBLIC.LEDGER_SORT_KEY_DESC: SORT_KEY < ?1 */") && plan.contains("/* index sorted */"),
                "not an ordered read of the descending index:\n" + plan);
        Matcher scanned = SCAN_COUNT.matcher(plan);
        assertTrue(scanned.find(), plan);
        // Besides the rows returned H2 counts the key's own row, where its read of the index begins, and the end.
        assertTrue(Integer.parseInt(scanned.group(1)) <= rows + 2, rows + " rows wanted:\n" + plan);
    }

    /** The plan of the one statement {@code call} sends, analyzed with {@code values} bound in order. */
    private static String plan(Runnable call, Object... values) throws SQLException {
        try (Connection admin = ledger.connect(); Statement s = admin.createStatement()) {
            // Turning the statistics off and on empties them.
            s.execute("SET QUERY_STATISTICS FALSE");
            s.execute("SET QUERY_STATISTICS TRUE");
            call.run();
            List<String> sent = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rs.next()) {
                    if (!rs.getString(1).contains("QUERY_STATISTICS")) {
                        sent.add(rs.getString(1));
                    }
                }
            }
            s.execute("SET QUERY_STATISTICS FALSE");
            assertEquals(1, sent.size(), "statements sent: " + sent);
            try (PreparedStatement explain = admin.prepareStatement("EXPLAIN ANALYZE " + sent.get(0))) {
                for (int i = 0; i < values.length; i++) {
                    explain.setObject(i + 1, values[i]);
                }
                try (ResultSet plan = explain.executeQuery()) {
                    assertTrue(plan.next());
                    return plan.getString(1);
                }
            }
        }
    }

    /**
     * Stored keys at the top, in the middle and at the bottom, and keys no block has just beside them (the same
     * order timestamp and height with the lowest and highest hash) and above every block.
     */
    private static List<OrderKey> probes() {
        List<OrderKey> keys = new ArrayList<>(sorted);
        List<OrderKey> probes = new ArrayList<>();
        for (int at : new int[] {keys.size() - 1, keys.size() - 2, keys.size() / 2, 700, 9, 1, 0}) {
            OrderKey key = keys.get(at);
            probes.add(key);
            probes.add(new OrderKey(key.orderTs(), key.height(), LOWEST_HASH));
            probes.add(new OrderKey(key.orderTs(), key.height(), HIGHEST_HASH));
        }
        probes.add(new OrderKey(sorted.last().orderTs() + 1, 0, LOWEST_HASH));
        return probes;
    }

    private static List<String> parentsOf(OrderKey key) {
        return ledger.written.get(key.hash()).block().parents();
    }

    private static <T> T read(Function<LedgerRepository, T> work) {
        EntityManager em = ledger.factory.createEntityManager();
        try {
            return work.apply(new LedgerRepository(em));
        } finally {
            em.close();
        }
    }
}
