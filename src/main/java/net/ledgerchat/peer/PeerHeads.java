package net.ledgerchat.peer;

import java.util.List;
import java.util.TreeSet;
import net.ledgerchat.ledger.Block;

/**
 * A link peer's heads as the link last learned them (its HELLO, its latest sync request), moved on by the blocks
 * that crossed the link since (a block the peer holds is a head of it until a child arrives), so "in sync" does not
 * wait for the peer's next sync request. Any thread may read or move them.
 */
final class PeerHeads {
    private volatile List<String> heads = List.of();

    /** Sorted. */
    List<String> now() {
        return heads;
    }

    synchronized void told(List<String> told) {
        heads = told.stream().sorted().toList();
    }

    synchronized void crossed(Block block) {
        TreeSet<String> moved = new TreeSet<>(heads);
        moved.removeAll(block.parents());
        moved.add(block.hash());
        heads = List.copyOf(moved);
    }
}
