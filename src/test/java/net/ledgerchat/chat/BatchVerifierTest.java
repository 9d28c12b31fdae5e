package net.ledgerchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parallel verification of a sync batch: the same verdict as checking one block after another. */
class BatchVerifierTest {
    private static final String GROUP = "batch";
    private static ExecutorService pool;
    private static List<Block> chain;

    @BeforeAll
    static void makeChain() throws Exception {
        pool = Executors.newFixedThreadPool(3);
        BlockFactory factory = new BlockFactory(GROUP, NodeIdentity.generate());
        chain = new ArrayList<>();
        List<OrderKey> parents = List.of();
        for (int i = 0; i < 100; i++) {
            Block block = factory.create(parents, "Ann", Instant.ofEpochMilli(1_700_000_000_000L + i), "m" + i);
            chain.add(block);
            parents = List.of(OrderKey.of(block, 0));
        }
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    private static BatchVerifier verifier(int threads) {
        return new BatchVerifier(new BlockVerifier(GROUP, Limits.DEFAULT, Clock.systemUTC()), pool, threads);
    }

    private static Block badSignature(Block b) {
        Block other = chain.get(b == chain.get(0) ? 1 : 0);
        return new Block(b.parents(), b.height(), b.author(), b.sender(), b.timestamp(), b.message(), b.hash(),
                other.signature());
    }

    private static Block badHash(Block b) {
        return new Block(b.parents(), b.height(), b.author(), b.sender(), b.timestamp(), b.message() + "!", b.hash(),
                b.signature());
    }

    @Test
    void aGoodBatchPassesOnAnyNumberOfThreads() throws Exception {
        for (int threads = 1; threads <= 4; threads++) {
            verifier(threads).verifyAll(chain);
            verifier(threads).verifyAll(chain.subList(0, 3));
            verifier(threads).verifyAll(List.of());
        }
    }

    @Test
    void theFirstBadBlockInBatchOrderIsReportedWhicheverThreadFindsItFirst() {
        for (int t = 1; t <= 4; t++) {
            int threads = t;
            List<Block> batch = new ArrayList<>(chain);
            batch.set(90, badHash(batch.get(90)));
            batch.set(40, badSignature(batch.get(40)));
            BlockRejectedException refused = assertThrows(BlockRejectedException.class,
                    () -> verifier(threads).verifyAll(batch));
            assertEquals(RejectReason.BAD_SIGNATURE, refused.reason(), "threads=" + threads);
            batch.set(5, badHash(batch.get(5)));
            assertEquals(RejectReason.BAD_HASH,
                    assertThrows(BlockRejectedException.class, () -> verifier(threads).verifyAll(batch)).reason());
        }
    }

    @Test
    void checksRunAheadGiveTheSameVerdictAsCheckingInLine() throws Exception {
        for (int threads = 1; threads <= 3; threads++) {
            BatchVerifier batches = verifier(threads);
            BatchVerifier.Checked good = batches.verifyAhead(chain);
            good.await();
            assertEquals(chain, good.blocks());
            batches.verifyAhead(List.of()).await();
            List<Block> batch = new ArrayList<>(chain);
            batch.set(70, badSignature(batch.get(70)));
            batch.set(30, badHash(batch.get(30)));
            BatchVerifier.Checked bad = batches.verifyAhead(batch);
            batch.set(30, chain.get(30));
            assertEquals(RejectReason.BAD_HASH, assertThrows(BlockRejectedException.class, bad::await).reason(),
                    "the batch as handed over is checked, not the list changed after");
        }
    }
}
