package net.ledgerchat.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;

/**
 * Keys and parents of blocks a test made, by hash, so it can say what a requester holding some of them would
 * put in a sync request: its heads, and its probes by {@code ContainerLedger}'s rule.
 */
final class KnownBlocks {
    /** ContainerLedger.PROBES: requests name blocks 2^0 .. 2^(PROBES-1) seconds back from the newest. */
    private static final int PROBES = 25;
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, OrderKey> keys = new HashMap<>();

    void add(OrderKey key, List<String> blockParents) {
        keys.put(key.hash(), key);
        parents.put(key.hash(), List.copyOf(blockParents));
    }

    List<String> parents(String hash) {
        return parents.get(hash);
    }

    /** Blocks of {@code held} that no other block of it names as parent, sorted. */
    List<String> heads(List<OrderKey> held) {
        Set<String> named = new HashSet<>();
        for (OrderKey k : held) {
            named.addAll(parents.get(k.hash()));
        }
        return held.stream().map(OrderKey::hash).filter(h -> !named.contains(h)).sorted().toList();
    }

    /** The newest block at or before each cutoff, as {@code LedgerRepository.newestAtOrBefore} answers it. */
    List<String> probes(List<OrderKey> held) {
        TreeSet<OrderKey> sorted = new TreeSet<>(held);
        List<String> found = new ArrayList<>();
        for (long cutoff : cutoffs(held)) {
            OrderKey newest = sorted.lower(new OrderKey(cutoff + 1, 0, "0".repeat(64)));
            if (newest != null && !found.contains(newest.hash())) {
                found.add(newest.hash());
            }
        }
        return found;
    }

    /** ContainerLedger.probes's cutoffs: 1, 2, 4, ... seconds before the newest order timestamp held. */
    static List<Long> cutoffs(List<OrderKey> held) {
        long newest = held.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        List<Long> cutoffs = new ArrayList<>();
        for (int i = 0; i < PROBES && newest - (1000L << i) > 0; i++) {
            cutoffs.add(newest - (1000L << i));
        }
        return cutoffs;
    }

    /**
     * {@code count} messages {@code author}, a member of {@code group}, wrote on top of {@code held}, one every
     * 700 ms: a fork never stored.
     */
    List<OrderKey> fork(List<OrderKey> held, int count, NodeIdentity author, GroupBlocks group) {
        List<OrderKey> tips = heads(held).stream().map(keys::get).toList();
        long ts = held.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        List<OrderKey> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ts += 700;
            GroupBlocks.Placed placed = group.message(author, tips, Instant.ofEpochMilli(ts), "ahead " + i);
            add(placed.key(), placed.block().parents());
            made.add(placed.key());
            tips = List.of(placed.key());
        }
        return made;
    }
}
