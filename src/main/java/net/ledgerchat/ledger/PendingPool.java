package net.ledgerchat.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verified blocks waiting for parents this node does not have yet. Bounded: when full, the block
 * that has waited longest is dropped (a later sync brings it again), so a peer that sends endless
 * orphans cannot exhaust memory. Not thread-safe: owned by the single ledger writer.
 */
public final class PendingPool {
    private final int capacity;
    private final LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
    private final Map<String, Set<String>> childrenOfMissing = new HashMap<>();

    private record Waiting(Block block, Set<String> missing) {
    }

    public PendingPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Parks {@code block} until every hash in {@code missing} has been stored. Returns false if it was already waiting. */
    public boolean park(Block block, Set<String> missing) {
        if (missing.isEmpty()) {
            throw new IllegalArgumentException("a block with no missing parent does not wait");
        }
        if (waiting.containsKey(block.hash())) {
            return false;
        }
        while (waiting.size() >= capacity) {
            drop(waiting.keySet().iterator().next());
        }
        waiting.put(block.hash(), new Waiting(block, new HashSet<>(missing)));
        for (String parent : missing) {
            childrenOfMissing.computeIfAbsent(parent, k -> new HashSet<>()).add(block.hash());
        }
        return true;
    }

    /** Records that {@code hash} is now stored; returns the blocks that no longer wait for anything. */
    public List<Block> stored(String hash) {
        drop(hash);
        Set<String> children = childrenOfMissing.remove(hash);
        if (children == null) {
            return List.of();
        }
        List<Block> ready = new ArrayList<>();
        for (String child : children) {
            Waiting w = waiting.get(child);
            if (w != null) {
                w.missing().remove(hash);
                if (w.missing().isEmpty()) {
                    waiting.remove(child);
                    ready.add(w.block());
                }
            }
        }
        return ready;
    }

    /** Parent hashes some waiting block needs: what to ask peers for. */
    public Set<String> missingParents() {
        return Set.copyOf(childrenOfMissing.keySet());
    }

    public boolean isWaiting(String hash) {
        return waiting.containsKey(hash);
    }

    public int size() {
        return waiting.size();
    }

    private void drop(String hash) {
        Waiting w = waiting.remove(hash);
        if (w == null) {
            return;
        }
        for (String parent : w.missing()) {
            Set<String> children = childrenOfMissing.get(parent);
            if (children != null) {
                children.remove(hash);
                if (children.isEmpty()) {
                    childrenOfMissing.remove(parent);
                }
            }
        }
    }

    /** Forgets every waiting block (used when the ledger is rebuilt). */
    public void clear() {
        waiting.clear();
        childrenOfMissing.clear();
    }
}
