package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.function.Function;
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
    private static final String INDEX_BELOW_KEY = "LEDGER_SORT_KEY_DESC: SORT_KEY < ?1";

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static NavigableSet<OrderKey> sorted;

    @BeforeAll
    static void write() {
        ledger = TestLedger.write("walk-queries", NodeIdentity.generate(), dir, BLOCKS, 11);
        sorted = ledger.sortedKeys();
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
        try (Connection admin = ledger.connect()) {
            for (OrderKey key : List.of(keys.get(keys.size() - 1), keys.get(keys.size() / 2), keys.get(20))) {
                for (int limit : new int[] {8, 1_024}) {
                    String plan = H2Plans.analyze(admin, () -> read(r -> r.linkedBefore(key, limit)), key.sortKeyBytes(), limit, 0);
                    H2Plans.assertOrderedRead(plan, INDEX_BELOW_KEY, Math.min(limit, sorted.headSet(key).size()));
                }
                byte[] bound = new OrderKey(key.orderTs() + 1, 0, LOWEST_HASH).sortKeyBytes();
                List<Long> cutoff = List.of(key.orderTs());
                H2Plans.assertOrderedRead(H2Plans.analyze(admin, () -> read(r -> r.newestAtOrBefore(cutoff)), bound, 1, 0),
                        INDEX_BELOW_KEY, 1);
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
