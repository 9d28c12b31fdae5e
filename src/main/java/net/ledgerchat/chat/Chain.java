package net.ledgerchat.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.time.Instant;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.store.BlockPlace;
import net.ledgerchat.store.Shown;

/**
 * The writer's view of the chain's tip, including blocks whose place is fixed but which are not
 * committed yet. A new block names the tips seen here, so concurrent sends line up one after the
 * other without waiting for each other's signatures or commits. Slots leave in the order they
 * were reserved, which is always parents before children, so no commit ever stores a block
 * whose parent is not stored. Not thread-safe: the writer guards it with its chain lock.
 */
final class Chain {
    private static final Logger LOG = Logger.getLogger(Chain.class.getName());
    private final TreeSet<OrderKey> tips = new TreeSet<>();
    /**
     * The places of the tips placed since the last reset: a tip a repair found deleted is still named by the next
     * block (its restore is wanted), and its membership context must still be known.
     */
    private final Map<String, BlockPlace> tipPlaces = new HashMap<>();
    private final Map<String, Slot> reserved = new HashMap<>();
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();
    /** Blocks a repair removed or found deleted, to be put back as they were when a peer sends them. */
    private final Set<String> wanted = new HashSet<>();
    private final PendingPool pending;
    private final int maxParents;
    private final MembershipGate gate;

    Chain(Collection<OrderKey> heads, PendingPool pending, int maxParents, MembershipGate gate) {
        this.tips.addAll(heads);
        this.pending = pending;
        this.maxParents = maxParents;
        this.gate = gate;
    }

    MembershipGate gate() {
        return gate;
    }

    /** The tips a new local block follows: all of them, or the newest when there are more than a block may name. */
    List<OrderKey> newestTips() {
        List<OrderKey> all = new ArrayList<>(tips);
        // The older ones stay tips, so a later block joins them.
        return all.size() <= maxParents ? all : all.subList(all.size() - maxParents, all.size());
    }

    Slot reserve(OrderKey key, Collection<OrderKey> parentKeys, Block signedOrNull, boolean local,
                 MembershipGate.Admitted admitted) {
        Slot slot = new Slot(key, List.copyOf(parentKeys), signedOrNull, local ? Slot.Kind.LOCAL : Slot.Kind.RECEIVED, true);
        slot.placedIn(admitted);
        return enqueue(slot);
    }

    /** Parents are never tips once a stored block names them; a block is a tip unless a stored block names it. */
    private Slot enqueue(Slot slot) {
        tips.removeAll(slot.parentKeys);
        slot.parentKeys.forEach(parent -> tipPlaces.remove(parent.hash()));
        if (slot.tip) {
            tips.add(slot.key);
            tipPlaces.put(slot.key.hash(), slot.place());
        }
        reserved.put(slot.key.hash(), slot);
        queue.add(slot);
        return slot;
    }

    /** The blocks to restore when they arrive (a repair removed them, or found them deleted); replaces the last list. */
    void wantOnly(Collection<String> hashes) {
        wanted.clear();
        wanted.addAll(hashes);
    }

    Set<String> wanted() {
        return Set.copyOf(wanted);
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

    /** The slot at the front of the queue if it is ready to commit, else null. */
    Slot readyFront() {
        Slot front = queue.peek();
        return front != null && front.ready() ? front : null;
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
        lost.stream().filter(slot -> slot.kind == Slot.Kind.RESTORED).forEach(slot -> wanted.add(slot.key.hash()));
        queue.clear();
        reserved.clear();
        resetTips(committedHeads);
        return lost;
    }

    void resetTips(Collection<OrderKey> heads) {
        tips.clear();
        tipPlaces.clear();
        tips.addAll(heads);
    }

    PendingPool pending() {
        return pending;
    }

    /** A local block placed after the newest tips, still to be signed (outside the chain lock). */
    record Placed(BlockFactory.Draft draft, Slot slot) {
    }

    /** Places this node's next message after the newest tips; its shape is checked before anything is reserved. */
    Placed place(BlockFactory factory, BlockVerifier verifier, Instant at, Body body, Committed committed)
            throws BlockRejectedException {
        List<OrderKey> parents = newestTips();
        if (parents.isEmpty()) {
            throw new BlockRejectedException(RejectReason.NOT_ALLOWED, "this node holds none of its group's blocks yet:"
                    + " it can write nothing before a member has admitted it and the history has arrived");
        }
        BlockFactory.Draft draft = factory.draft(verifier.groupId(), parents, at, body);
        Block unsigned = draft.unsignedView();
        verifier.verifyShape(unsigned);
        // A local block follows the tips, whose places the chain keeps: the database is asked only after a reset.
        Map<String, BlockPlace> places = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String parent : unsigned.parents()) {
            BlockPlace place = tipPlaces.get(parent);
            if (place != null) {
                places.put(parent, place);
            } else {
                unknown.add(parent);
            }
        }
        if (!unknown.isEmpty()) {
            places.putAll(placesOf(unknown, committed));
        }
        MembershipGate.Admitted admitted = gate.admit(unsigned, places.values());
        Slot slot = reserve(OrderKey.of(unsigned, maxOrderTs(parents)), parents, null, true, admitted);
        slot.shownAs(gate.shownOf(unsigned, admitted.atParents(), ancestry(committed)));
        if (unsigned.kind().isMembership()) {
            slot.countsAs(gate.counts(unsigned.hash()));
        }
        return new Placed(draft, slot);
    }

    /** How offering a block went, and the slots it reserved (it and the waiting blocks it released). */
    record Offered(AcceptOutcome outcome, List<Slot> reserved) {
    }

    /**
     * Places a verified block from elsewhere: a duplicate or a block already waiting changes nothing; one
     * with missing parents waits in the pending pool; otherwise its height is checked against its parents
     * and it is reserved, and so is every waiting block it completes (parents first).
     */
    Offered offer(Block block, BlockVerifier verifier, Committed committed) throws BlockRejectedException {
        if (pending.isWaiting(block.hash())) {
            return new Offered(AcceptOutcome.PENDING, List.of());
        }
        if (reservedKey(block.hash()) != null || committed.contains(block.hash())) {
            return new Offered(AcceptOutcome.DUPLICATE, List.of());
        }
        Map<String, BlockPlace> parents = placesOf(block.parents(), committed);
        if (parents.size() < block.parents().size()) {
            Set<String> missing = new HashSet<>(block.parents());
            missing.removeAll(parents.keySet());
            if (wanted.contains(block.hash())) {
                // A block this node had was stored after its parents, so they were lost too: want them back.
                wanted.addAll(missing);
            }
            pending.park(block, missing);
            return new Offered(AcceptOutcome.PENDING, List.of());
        }
        verifier.verifyHeight(block, heights(parents));
        boolean restoring = wanted.contains(block.hash());
        List<Slot> reserved = new ArrayList<>();
        reserved.add(reserveOffered(block, parents.values(), committed));
        releaseWaitingChildren(block.hash(), verifier, committed, reserved);
        return new Offered(restoring ? AcceptOutcome.RESTORED : AcceptOutcome.STORED, reserved);
    }

    /**
     * A block whose hash is wanted goes back exactly as it was: it is already in the sealed digest, and
     * it is a tip only if no stored block names it (a block deleted from the middle of the chain).
     */
    private Slot reserveOffered(Block block, Collection<BlockPlace> parentPlaces, Committed committed)
            throws BlockRejectedException {
        MembershipGate.Admitted admitted = gate.admit(block, parentPlaces, wanted.contains(block.hash()));
        List<OrderKey> parents = parentPlaces.stream().map(BlockPlace::key).toList();
        OrderKey key = OrderKey.of(block, maxOrderTs(parents));
        Slot slot;
        if (wanted.remove(block.hash())) {
            slot = new Slot(key, parents, block, Slot.Kind.RESTORED, !committed.named(block.hash()));
            slot.placedIn(admitted);
            enqueue(slot);
        } else {
            slot = reserve(key, parents, block, false, admitted);
        }
        slot.shownAs(gate.shownOf(block, admitted.atParents(), ancestry(committed)));
        if (block.kind().isMembership()) {
            slot.countsAs(gate.counts(block.hash()));
        }
        return slot;
    }

    /** How a stored message is shown now, its membership context given as stored. */
    Shown shownOf(Block message, List<String> context, Committed committed) {
        return gate.shownOf(message, context, ancestry(committed));
    }

    /** Parent links over the reserved blocks and the committed ones. */
    private Ancestry ancestry(Committed committed) {
        return new Ancestry(hash -> {
            Slot slot = reserved.get(hash);
            if (slot == null) {
                return committed.links(hash);
            }
            return new Ancestry.Links(slot.key.height(), slot.parentKeys.stream().map(OrderKey::hash).toList());
        });
    }

    private void releaseWaitingChildren(String hash, BlockVerifier verifier, Committed committed, List<Slot> reserved) {
        Deque<String> released = new ArrayDeque<>();
        released.add(hash);
        while (!released.isEmpty()) {
            for (Block child : pending.stored(released.poll())) {
                Map<String, BlockPlace> parents = placesOf(child.parents(), committed);
                try {
                    verifier.verifyHeight(child, heights(parents));
                    reserved.add(reserveOffered(child, parents.values(), committed));
                    released.add(child.hash());
                } catch (BlockRejectedException e) {
                    LOG.warning(() -> "[Blockchain] Dropped waiting block " + child.hash() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Places of the stored or reserved blocks among {@code hashes}. */
    private Map<String, BlockPlace> placesOf(Collection<String> hashes, Committed committed) {
        Map<String, BlockPlace> places = new HashMap<>();
        List<String> lookUp = new ArrayList<>();
        for (String hash : hashes) {
            Slot slot = reserved.get(hash);
            if (slot != null) {
                places.put(hash, slot.place());
            } else {
                lookUp.add(hash);
            }
        }
        if (!lookUp.isEmpty()) {
            places.putAll(committed.placesOf(lookUp));
        }
        return places;
    }

    static long maxOrderTs(Collection<OrderKey> parents) {
        return parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0L);
    }

    private static Map<String, Long> heights(Map<String, BlockPlace> parents) {
        Map<String, Long> heights = new HashMap<>();
        parents.forEach((hash, place) -> heights.put(hash, place.key().height()));
        return heights;
    }
}
