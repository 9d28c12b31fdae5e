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

    BatchVerifier(BlockVerifier verifier, ExecutorService executor, int threads) {
        this.verifier = verifier;
        this.executor = executor;
        this.threads = Math.max(1, threads);
    }

    /** Throws the refusal of the first bad block in batch order. */
    void verifyAll(List<Block> blocks) throws BlockRejectedException {
        int parts = Math.min(threads, blocks.size() / MIN_PER_THREAD);
        if (parts <= 1) {
            verifyRange(blocks, 0, blocks.size());
            return;
        }
        int size = (blocks.size() + parts - 1) / parts;
        List<Future<Void>> checks = new ArrayList<>();
        // The caller's thread takes the first part itself.
        for (int from = size; from < blocks.size(); from += size) {
            int start = from;
            checks.add(executor.submit(() -> {
                verifyRange(blocks, start, Math.min(blocks.size(), start + size));
                return null;
            }));
        }
        BlockRejectedException first = null;
        try {
            verifyRange(blocks, 0, size);
        } catch (BlockRejectedException e) {
            first = e;
        }
        for (Future<Void> check : checks) {
            BlockRejectedException refused = await(check);
            if (first == null) {
                first = refused;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void verifyRange(List<Block> blocks, int from, int to) throws BlockRejectedException {
        for (int i = from; i < to; i++) {
            verifier.verifyContent(blocks.get(i));
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
