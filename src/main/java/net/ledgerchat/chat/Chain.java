package net.ledgerchat.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;

/**
 * The writer's view of the chain's tip, including blocks whose place is fixed but which are not
 * committed yet. A new block names the tips seen here, so concurrent sends line up one after the
 * other without waiting for each other's signatures or commits. Slots leave in the order they
 * were reserved, which is always parents before children, so no commit ever stores a block
 * whose parent is not stored. Not thread-safe: the writer guards it with its chain lock.
 */
final class Chain {
    private final TreeSet<OrderKey> tips = new TreeSet<>();
    private final Map<String, Slot> reserved = new HashMap<>();
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();
    private final PendingPool pending;
    private final int maxParents;

    Chain(Collection<OrderKey> heads, PendingPool pending, int maxParents) {
        this.tips.addAll(heads);
        this.pending = pending;
        this.maxParents = maxParents;
    }

    /** The tips a new local block follows: all of them, or the newest when there are more than a block may name. */
    List<OrderKey> newestTips() {
        List<OrderKey> all = new ArrayList<>(tips);
        // The older ones stay tips, so a later block joins them.
        return all.size() <= maxParents ? all : all.subList(all.size() - maxParents, all.size());
    }

    Slot reserve(OrderKey key, Collection<OrderKey> parentKeys, Block signedOrNull, boolean local) {
        Slot slot = new Slot(key, List.copyOf(parentKeys), signedOrNull, local);
        tips.removeAll(parentKeys);
        tips.add(key);
        reserved.put(key.hash(), slot);
        queue.add(slot);
        return slot;
    }

    /** The key of a block reserved and not yet committed, or null. */
    OrderKey reservedKey(String hash) {
        Slot slot = reserved.get(hash);
        return slot == null ? null : slot.key;
    }

    /** The longest run of signed slots at the front of the queue, at most {@code max}. */
    List<Slot> takeReadyPrefix(int max) {
        List<Slot> group = new ArrayList<>();
        while (group.size() < max && !queue.isEmpty() && queue.peek().ready()) {
            group.add(queue.poll());
        }
        return group;
    }

    boolean allReady() {
        return queue.stream().allMatch(Slot::ready);
    }

    void committed(List<Slot> group) {
        group.forEach(slot -> reserved.remove(slot.key.hash()));
    }

    /**
     * A group could not be stored: every slot still queued may descend from it, so all are given
     * up and the tips go back to what the database holds. Returns the slots given up.
     */
    List<Slot> abandon(Collection<OrderKey> committedHeads) {
        List<Slot> lost = new ArrayList<>(queue);
        queue.clear();
        reserved.clear();
        resetTips(committedHeads);
        return lost;
    }

    void resetTips(Collection<OrderKey> heads) {
        tips.clear();
        tips.addAll(heads);
    }

    PendingPool pending() {
        return pending;
    }
}
