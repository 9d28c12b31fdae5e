package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotency keys a restarted node recalls, read from a real H2 file written through the real unit: only
 * keyed sends, only among the newest messages scanned, newest first, at most as many as asked, each with its
 * message as stored.
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
        Seal seal = node.seal();
        BlockFactory blocks = new BlockFactory("keys", node);
        List<OrderKey> parents = List.of();
        SetDigest set = SetDigest.EMPTY;
        EntityManager em = factory.createEntityManager();
        for (int i = 0; i < BLOCKS; i++) {
            Block block = blocks.create(parents, "Node", Instant.ofEpochMilli(1_700_000_000_000L + i), "message " + i);
            OrderKey key = OrderKey.of(block, parents.isEmpty() ? 0 : parents.get(0).orderTs());
            set = set.plus(block.hash());
            String sendKey = i % 3 == 0 ? key(i) : null;
            em.getTransaction().begin();
            new LedgerRepository(em).append(List.of(new LedgerRepository.Append(block, key,
                            seal.compute(block.hash(), block.signature(), key.orderTs()), sendKey)),
                    new LedgerRepository.SealedDigest(set, seal.compute(set)),
                    new LedgerRepository.SealedHeads(List.of(block.hash()), seal.compute(set.count(), List.of(block.hash()))));
            em.getTransaction().commit();
            texts.add(block.message());
            parents = List.of(key);
        }
        em.close();
    }

    @AfterEach
    void close() {
        factory.close();
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
