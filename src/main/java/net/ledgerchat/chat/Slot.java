package net.ledgerchat.chat;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.StoredBlock;

/**
 * A block between the moment its place in the chain is fixed and its commit: reserved in chain
 * order, signed (local sends sign after the chain lock is released), then committed together
 * with whatever else is ready. {@link #done} completes when the block is stored, or fails if its
 * group could not be.
 */
final class Slot {
    final OrderKey key;
    final List<OrderKey> parentKeys;
    final boolean local;
    final CompletableFuture<StoredBlock> done = new CompletableFuture<>();
    private volatile Block block;

    Slot(OrderKey key, List<OrderKey> parentKeys, Block signedOrNull, boolean local) {
        this.key = Objects.requireNonNull(key, "key");
        this.parentKeys = List.copyOf(parentKeys);
        this.block = signedOrNull;
        this.local = local;
    }

    void signed(Block signed) {
        if (!signed.hash().equals(key.hash())) {
            throw new IllegalArgumentException("signed block " + signed.hash() + " is not the reserved " + key.hash());
        }
        block = signed;
    }

    /** Signed and waiting for its commit (or already finished, failed included). */
    boolean ready() {
        return block != null || done.isDone();
    }

    Block block() {
        return block;
    }

    StoredBlock stored() {
        return new StoredBlock(block, key);
    }
}
