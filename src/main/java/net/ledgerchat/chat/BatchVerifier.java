package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;

/**
 * Checks the hashes and signatures of a batch of blocks on several threads: at catch-up speed the
 * Ed25519 verification is most of the work a block costs, and it needs no lock. Small batches are
 * checked on the caller's thread, where handing them over would cost more than it saves.
 */
final class BatchVerifier {
    private static final int MIN_PER_THREAD = 16;
    private final BlockVerifier verifier;
    private final ExecutorService executor;
    private final int threads;

    /** {@code threads}: the executor's threads, which {@link #verifyAll} joins with the caller's own. */
    BatchVerifier(BlockVerifier verifier, ExecutorService executor, int threads) {
        this.verifier = verifier;
        this.executor = executor;
        this.threads = Math.max(1, threads);
    }

    /**
     * A batch whose checks run on the executor while the caller goes on (storing the batch before it);
     * {@link #await} gives the verdict. Only this class makes one, so a holder knows the checks were started.
     */
    static final class Checked {
        private final List<Block> blocks;
        private final List<Future<Void>> parts;

        private Checked(List<Block> blocks, List<Future<Void>> parts) {
            this.blocks = blocks;
            this.parts = parts;
        }

        List<Block> blocks() {
            return blocks;
        }

        /** Waits for every part; throws the refusal of the first bad block in batch order. */
        void await() throws BlockRejectedException {
            BlockRejectedException first = null;
            for (Future<Void> part : parts) {
                BlockRejectedException refused = BatchVerifier.await(part);
                if (first == null) {
                    first = refused;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Starts checking {@code blocks} on the executor's threads alone: the caller's thread stays free. */
    Checked verifyAhead(List<Block> blocks) {
        List<Block> batch = List.copyOf(blocks);
        int parts = Math.max(1, Math.min(threads, batch.size() / MIN_PER_THREAD));
        return new Checked(batch, submit(batch, 0, parts));
    }

    /** Throws the refusal of the first bad block in batch order. */
    void verifyAll(List<Block> blocks) throws BlockRejectedException {
        int parts = Math.min(threads + 1, blocks.size() / MIN_PER_THREAD);
        if (parts <= 1) {
            verifyRange(blocks, 0, blocks.size());
            return;
        }
        int size = (blocks.size() + parts - 1) / parts;
        // The caller's thread takes the first part itself.
        Checked rest = new Checked(blocks, submit(blocks, size, parts - 1));
        BlockRejectedException first = null;
        try {
            verifyRange(blocks, 0, size);
        } catch (BlockRejectedException e) {
            first = e;
        }
        try {
            rest.await();
        } catch (BlockRejectedException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Submits blocks[from..] in {@code parts} consecutive ranges. */
    private List<Future<Void>> submit(List<Block> blocks, int from, int parts) {
        int size = (blocks.size() - from + parts - 1) / parts;
        List<Future<Void>> checks = new ArrayList<>();
        for (int start = from; start < blocks.size() || checks.isEmpty(); start += Math.max(1, size)) {
            int begin = start;
            int end = Math.min(blocks.size(), start + size);
            checks.add(executor.submit(() -> {
                verifyRange(blocks, begin, end);
                return null;
            }));
        }
        return checks;
    }

    private void verifyRange(List<Block> blocks, int from, int to) throws BlockRejectedException {
        for (int i = from; i < to; i++) {
            verifier.verify(blocks.get(i));
        }
    }

    private static BlockRejectedException await(Future<Void> check) {
        try {
            check.get();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BlockRejectedException refused) {
                return refused;
            }
            throw new IllegalStateException("verifying a batch failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying a batch", e);
        }
    }
}
