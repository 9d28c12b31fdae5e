package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page's read on a real H2 file written through the real unit: the newest {@code limit} messages strictly
 * before a key (or the newest of all), newest first, only those shown (blocks of other kinds have no message row;
 * a message that does not count has one, not shown), and at the cost of the messages returned.
 */
class MessagesBeforeTest {
    private static final int BLOCKS = 600;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static NavigableSet<OrderKey> sorted;

    @BeforeAll
    static void write() {
        ledger = TestLedger.write("messages-before", NodeIdentity.generate(), dir, BLOCKS, 5);
        sorted = ledger.sortedMessageKeys();
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void theNewestMessagesStrictlyBeforeTheKeyNewestFirst() {
        assertEquals(BLOCKS - 3, sorted.size(), "the founding's three blocks are not messages");
        assertPages(sorted);
    }

    /** A message row whose message does not count (its author was removed, say) stays stored but is not listed. */
    @Test
    void aMessageThatIsNotShownIsNotListed() {
        List<OrderKey> keys = new ArrayList<>(sorted);
        List<OrderKey> hidden = List.of(keys.get(keys.size() - 1), keys.get(keys.size() - 2), keys.get(keys.size() / 2),
                keys.get(7), keys.get(0));
        NavigableSet<OrderKey> shown = new TreeSet<>(sorted);
        hidden.forEach(shown::remove);
        try {
            assertEquals(hidden.size(), show(hidden, false), "rows changed");
            assertPages(shown);
        } finally {
            assertEquals(hidden.size(), show(hidden, true), "rows changed back");
        }
        assertPages(sorted);
    }

    private static int show(List<OrderKey> keys, boolean counts) {
        return ledger.inTransaction(em -> {
            LedgerRepository repository = new LedgerRepository(em);
            int changed = 0;
            for (OrderKey key : keys) {
                String name = ledger.written.get(key.hash()).shown().name();
                changed += repository.show(key, new Shown(counts, name), ledger.node.seal().shown(key.hash(), counts, name)) ? 1 : 0;
            }
            return changed;
        });
    }

    /** Every page of {@code listed} (the messages expected, in ledger order) before keys in it and beside them. */
    private static void assertPages(NavigableSet<OrderKey> listed) {
        List<OrderKey> keys = new ArrayList<>(sorted);
        List<Optional<OrderKey>> befores = new ArrayList<>(List.of(Optional.empty()));
        for (int at : new int[] {keys.size() - 1, keys.size() / 2, 3, 0}) {
            OrderKey key = keys.get(at);
            befores.add(Optional.of(key));
            befores.add(Optional.of(new OrderKey(key.orderTs(), key.height(), "0".repeat(64))));
            befores.add(Optional.of(new OrderKey(key.orderTs(), key.height(), "f".repeat(64))));
        }
        for (Optional<OrderKey> before : befores) {
            for (int limit : new int[] {1, 8, 51, BLOCKS + 1}) {
                NavigableSet<OrderKey> below = before.map(k -> listed.headSet(k, false)).orElse(listed);
                List<OrderKey> expected = below.descendingSet().stream().limit(limit).toList();
                List<OrderKey> page = read(r -> r.messagesBefore(before, limit)).stream().map(StoredMessage::key).toList();
                assertEquals(expected, page, "before " + before + ", limit " + limit);
            }
        }
    }

    @Test
    void eachPageReadsTheDescendingIndexAndStopsAtTheLimit() throws SQLException {
        OrderKey top = sorted.last();
        OrderKey middle = new ArrayList<>(sorted).get(BLOCKS / 2);
        try (Connection admin = ledger.connect()) {
            // EclipseLink binds the TRUE of "shown = TRUE" as the first parameter.
            H2Plans.assertOrderedRead(H2Plans.analyze(admin, () -> read(r -> r.messagesBefore(Optional.empty(), 51)), true, 51, 0),
                    "MESSAGES_SORT_KEY_DESC", 51);
            for (OrderKey key : List.of(top, middle)) {
                String plan = H2Plans.analyze(admin, () -> read(r -> r.messagesBefore(Optional.of(key), 51)), true,
                        key.sortKeyBytes(), 51, 0);
                H2Plans.assertOrderedRead(plan, "MESSAGES_SORT_KEY_DESC: SORT_KEY < ?2", 51);
            }
        }
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
