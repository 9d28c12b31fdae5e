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
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parallel verification of a sync batch: the same verdict as checking one block after another. */
class BatchVerifierTest {
    private static final NodeIdentity ANN = NodeIdentity.generate();
    private static final Block GENESIS = new BlockFactory(ANN).found("batch", "Ann", Instant.ofEpochMilli(1_699_999_999_999L));
    private static final String GROUP = GENESIS.hash();
    private static ExecutorService pool;
    private static List<Block> chain;

    @BeforeAll
    static void makeChain() throws Exception {
        pool = Executors.newFixedThreadPool(3);
        BlockFactory factory = new BlockFactory(ANN);
        chain = new ArrayList<>();
        chain.add(GENESIS);
        List<OrderKey> parents = List.of(OrderKey.of(GENESIS, 0));
        for (int i = 1; i < 100; i++) {
            Block block = factory.write(GROUP, parents, Instant.ofEpochMilli(1_700_000_000_000L + i),
                    new Body.Message("00".repeat(Body.SALT_BYTES), "m" + i));
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
        return new Block(b.header(), b.body(), b.hash(), other.signature());
    }

    /** The same header under another text: its digest no longer names the body. */
    private static Block badHash(Block b) {
        Body.Message message = b.body(Body.Message.class);
        Body edited = new Body.Message(message.salt(), message.text() + "!");
        Header header = new Header(b.header().group(), b.parents(), b.height(), b.author(), b.timestamp(), b.kind(),
                edited.digest());
        return new Block(header, edited, b.hash(), b.signature());
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
