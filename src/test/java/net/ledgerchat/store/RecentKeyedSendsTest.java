package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotency keys a restarted node recalls, read from a real H2 file written through the real unit (a group
 * founded, then a line of messages, every third sent with a key): only keyed sends, only among the newest
 * messages scanned, newest first, at most as many as asked, each with its message as stored.
 */
class RecentKeyedSendsTest {
    private static final int BLOCKS = 30;

    @TempDir
    Path dir;
    private EntityManagerFactory factory;
    private final List<String> texts = new ArrayList<>();

    @BeforeEach
    void write() {
        factory = ChatUnit.open("jdbc:h2:file:" + dir.resolve("chat") + ";WRITE_DELAY=0", "chat", "chat",
                dir.resolve("ddl.sql"), Map.of());
        NodeIdentity node = NodeIdentity.generate();
        GroupBlocks group = GroupBlocks.found("keys", List.of(node), Instant.ofEpochMilli(1_700_000_000_000L), new Random(4));
        EntityManager em = factory.createEntityManager();
        Store store = new Store(em, node.seal());
        store.append(group.founding().get(0), null);
        OrderKey last = group.last();
        for (int i = 0; i < BLOCKS; i++) {
            GroupBlocks.Placed message = group.message(node, List.of(last), Instant.ofEpochMilli(group.foundedAt() + 1 + i),
                    "message " + i);
            store.append(message, i % 3 == 0 ? key(i) : null);
            texts.add(message.block().body(Body.Message.class).text());
            last = message.key();
        }
        em.close();
    }

    @AfterEach
    void close() {
        factory.close();
    }

    /** Commits one block at a time, as a node sending alone does. */
    private static final class Store {
        private final EntityManager em;
        private final Seal seal;
        private SetDigest set = SetDigest.EMPTY;

        Store(EntityManager em, Seal seal) {
            this.em = em;
            this.seal = seal;
        }

        void append(GroupBlocks.Placed placed, String sendKey) {
            String hash = placed.block().hash();
            set = set.plus(hash);
            em.getTransaction().begin();
            new LedgerRepository(em).append(List.of(placed.append(seal, sendKey)),
                    new LedgerRepository.SealedDigest(set, seal.compute(set)),
                    new LedgerRepository.SealedHeads(List.of(hash), seal.compute(set.count(), List.of(hash))));
            em.getTransaction().commit();
        }
    }

    @Test
    void onlyTheKeyedSendsAmongTheNewestScannedNewestFirst() {
        assertEquals(List.of(key(27), key(24), key(21)), keys(recent(10, 100)));
        assertEquals(List.of(key(27), key(24), key(21), key(18)), keys(recent(12, 100)));
        assertEquals(List.of(), keys(recent(2, 100)), "the two newest messages were not keyed");
        assertEquals(List.of(key(27)), keys(recent(3, 100)));
    }

    @Test
    void atMostAsManyAsAskedAndEachWithItsMessage() {
        List<LedgerRepository.KeyedSend> two = recent(BLOCKS, 2);
        assertEquals(List.of(key(27), key(24)), keys(two));
        assertEquals(texts.get(27), two.get(0).message().text());
        assertEquals(10, recent(BLOCKS + 5, 100).size());
    }

    private List<LedgerRepository.KeyedSend> recent(int scan, int most) {
        EntityManager em = factory.createEntityManager();
        try {
            return new LedgerRepository(em).recentKeyedSends(scan, most);
        } finally {
            em.close();
        }
    }

    private static List<String> keys(List<LedgerRepository.KeyedSend> sends) {
        return sends.stream().map(LedgerRepository.KeyedSend::key).toList();
    }

    private static String key(int i) {
        return String.format("send-key-%04d", i);
    }
}
