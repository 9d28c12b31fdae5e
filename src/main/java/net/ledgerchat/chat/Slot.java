package net.ledgerchat.chat;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.BlockPlace;
import net.ledgerchat.store.Shown;
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
    final Kind kind;
    /** Whether it is a tip once stored: always, except a restored block some stored block names. */
    final boolean tip;
    final CompletableFuture<StoredBlock> done = new CompletableFuture<>();
    /** The thread that placed it and waits for it: woken when it is stored or given up, or to take over commits. */
    final Thread owner = Thread.currentThread();
    private volatile Block block;
    /** Set before the block is signed (so before it is ready), only for this node's keyed sends. */
    private volatile String sendKey;
    /** The membership context at the block's parents (hashes), stored with it; set when it is placed. */
    private volatile List<String> context = List.of();
    /** The context its children inherit: itself for a membership block, else the same. */
    private volatile List<String> ownContext = List.of();
    private volatile boolean filledHole;
    private volatile boolean counts = true;
    /** How a message is shown, set when it is placed; null for other kinds. */
    private volatile Shown shown;

    /** Where the block comes from: sent here, received, or put back by a repair (already counted in the digest). */
    enum Kind { LOCAL, RECEIVED, RESTORED }

    Slot(OrderKey key, List<OrderKey> parentKeys, Block signedOrNull, Kind kind, boolean tip) {
        this.key = Objects.requireNonNull(key, "key");
        this.parentKeys = List.copyOf(parentKeys);
        this.block = signedOrNull;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.tip = tip;
    }

    void keyedBy(String key) {
        sendKey = key;
    }

    String sendKey() {
        return sendKey;
    }

    void placedIn(MembershipGate.Admitted admitted) {
        this.context = List.copyOf(admitted.storedContext());
        this.ownContext = List.copyOf(admitted.ownContext());
        this.filledHole = admitted.filledHole();
    }

    /** A membership block a repair put back that the membership had been rebuilt without. */
    boolean filledHole() {
        return filledHole;
    }

    /** Set once it is reserved (whether it counts may depend on where it sits). */
    void shownAs(Shown shown) {
        this.shown = shown;
    }

    /** For a membership block: whether it counted when it was placed. */
    void countsAs(boolean counts) {
        this.counts = counts;
    }

    List<String> context() {
        return context;
    }

    Shown shown() {
        return shown;
    }

    /** What a child of this block is placed by. */
    BlockPlace place() {
        return new BlockPlace(key, ownContext);
    }

    void markStored() {
        done.complete(stored());
        LockSupport.unpark(owner);
    }

    void givenUp(Throwable cause) {
        done.completeExceptionally(cause);
        LockSupport.unpark(owner);
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
        return new StoredBlock(block, key, shown, shown != null ? shown.counts() : counts);
    }
}
