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
import java.util.function.Function;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page's read on a real H2 file written through the real unit: the newest {@code limit} messages strictly
 * before a key (or the newest of all), newest first, and at the cost of the messages returned.
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
        sorted = ledger.sortedKeys();
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void theNewestMessagesStrictlyBeforeTheKeyNewestFirst() {
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
                NavigableSet<OrderKey> below = before.map(k -> sorted.headSet(k, false)).orElse(sorted);
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
            H2Plans.assertOrderedRead(H2Plans.analyze(admin, () -> read(r -> r.messagesBefore(Optional.empty(), 51)), 51, 0),
                    "MESSAGES_SORT_KEY_DESC", 51);
            for (OrderKey key : List.of(top, middle)) {
                String plan = H2Plans.analyze(admin, () -> read(r -> r.messagesBefore(Optional.of(key), 51)), key.sortKeyBytes(), 51, 0);
                H2Plans.assertOrderedRead(plan, "MESSAGES_SORT_KEY_DESC: SORT_KEY < ?1", 51);
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
