package net.ledgerchat.peer;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;

/** What a peer link needs from its node's ledger: the same answers whether the ledger is a database or memory. */
public interface LedgerPort {
    /** This node's heads, sorted. */
    List<String> heads();

    /** Older hashes this node holds (for sync requests), so a peer finds a common point even when our heads are new to it. */
    List<String> probes();

    /** Verifies and stores a block; the blocks stored by it, parents first (it and the waiting ones it completed). */
    Accepted accept(Block block) throws BlockRejectedException;

    /**
     * Verifies and stores a batch (a sync answer), parents first. The node's writer checks every block of it before
     * it places any, so a batch with a refused block stores nothing; this default, for ledgers without a batch path,
     * stops at the refused block.
     */
    default Accepted acceptAll(List<Block> blocks) throws BlockRejectedException {
        List<Block> stored = new java.util.ArrayList<>();
        boolean waiting = false;
        for (Block block : blocks) {
            Accepted accepted = accept(block);
            stored.addAll(accepted.stored());
            waiting |= accepted.waiting();
        }
        return new Accepted(waiting, stored);
    }

    /**
     * A sync batch whose checks may run ahead, on other threads, while the link stores the batch before it;
     * {@link #acceptChecked} stores it. By default the checks run when it is stored.
     */
    interface Checking {
        List<Block> blocks();
    }

    default Checking checkAhead(List<Block> blocks) {
        List<Block> batch = List.copyOf(blocks);
        return () -> batch;
    }

    /** {@link #acceptAll} for a batch {@link #checkAhead} gave. */
    default Accepted acceptChecked(Checking batch) throws BlockRejectedException {
        return acceptAll(batch.blocks());
    }

    /** What a peer that holds {@code theirs} lacks, parents first. */
    List<String> missingFor(Collection<String> theirs);

    Optional<Block> block(String hash);

    /** The held ones of {@code hashes}, in that order. */
    default List<Block> blocks(List<String> hashes) {
        return hashes.stream().map(this::block).flatMap(Optional::stream).toList();
    }

    /** Parents that blocks in the pending pool wait for. */
    Set<String> wantedParents();

    /** Blocks a repair removed or found deleted, asked of peers by hash (at most {@link #MAX_WANTED} at a time). */
    Set<String> wantedBlocks();

    int MAX_WANTED = 1_000;

    /** Whether {@code key} is a member of this node's group, by what this node holds. */
    boolean isMember(String key);

    /**
     * While this node joins its group (it holds none of its blocks yet), the invite to present to one member at a
     * time: two members admitting one invite concurrently would void both admits (DESIGN section 7). Empty while
     * another link presents it; {@link #joinEnded} hands it back.
     */
    Optional<JoinRequest> claimJoin();

    /**
     * The link that presented the invite ended. Unless a member {@code admitted} this node on it, another link may
     * present it; once admitted, it is never presented again (a second admit of it would void both).
     */
    void joinEnded(boolean admitted);

    /**
     * Checks the invite a joining peer presents, by this node's own state and clock, and writes its admit;
     * refused with the reason (used, revoked, expired, forged...) otherwise.
     */
    Block admit(String joiner, String name, String invite, String proof) throws BlockRejectedException;

    /** A member refused this node's invite, for the reason given: kept for the page. */
    void joinRefused(String by, String reason);

    /** What a joining node presents: the invite's hash and the proof that it holds the invite's secret. */
    record JoinRequest(String invite, String proof) {
    }

    /** The result of {@link #accept}: nothing stored for a duplicate or a block that now waits for parents. */
    record Accepted(boolean waiting, List<Block> stored) {
        public Accepted {
            stored = List.copyOf(stored);
        }
    }
}
