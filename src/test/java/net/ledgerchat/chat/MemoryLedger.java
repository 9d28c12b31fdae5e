package net.ledgerchat.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.peer.BlockIndex;
import net.ledgerchat.peer.LedgerPort;
import net.ledgerchat.peer.SyncPlanner;

/**
 * A node's ledger in memory for the network simulation, run by the writer's own rules: the same
 * {@link Chain} (duplicates, pending pool, heights, released children, tips), verifier, factory and
 * sync planner; only the database is a map, committed at once. What is committed survives a crash;
 * the pending pool, like the real node's, does not.
 */
public final class MemoryLedger implements LedgerPort {
    private static final int PENDING = 10_000;
    private final NodeIdentity identity;
    private final BlockFactory factory;
    private final BlockVerifier verifier;
    private final int maxParents;
    private final Map<String, Block> blocks = new HashMap<>();
    private final Map<String, OrderKey> keys = new HashMap<>();
    private final TreeMap<OrderKey, Block> ordered = new TreeMap<>();
    private final Map<String, Boolean> named = new HashMap<>();
    /** Heads deleted behind the node's back; kept across restarts, as the sealed head set is. */
    private final Set<String> lostHeads = new HashSet<>();
    private Chain chain;

    public MemoryLedger(NodeIdentity identity, String groupId, Clock clock) {
        this.identity = identity;
        this.factory = new BlockFactory(groupId, identity);
        this.verifier = new BlockVerifier(groupId, Limits.DEFAULT, clock);
        this.maxParents = Limits.DEFAULT.maxParents();
        restart();
    }

    /** A crash and restart: committed blocks stay, everything in memory is rebuilt. */
    public void restart() {
        chain = new Chain(headKeys(), new PendingPool(PENDING), maxParents);
        repair();
    }

    /** Committed blocks deleted behind the node's back (rows gone from its database). */
    public void lose(Collection<String> hashes) {
        Set<String> headsBefore = new HashSet<>(heads());
        for (String hash : hashes) {
            blocks.remove(hash);
            ordered.remove(keys.remove(hash));
            if (headsBefore.contains(hash)) {
                lostHeads.add(hash);
            }
        }
    }

    /** What a validation and repair do: want back every block some stored block names, and every lost head. */
    public Set<String> repair() {
        Set<String> wanted = new HashSet<>();
        for (Block block : blocks.values()) {
            block.parents().stream().filter(p -> !blocks.containsKey(p)).forEach(wanted::add);
        }
        lostHeads.removeIf(blocks::containsKey);
        wanted.addAll(lostHeads);
        chain.wantOnly(wanted);
        return wanted;
    }

    public Block send(String sender, String text, Instant at) throws BlockRejectedException {
        Chain.Placed placed = chain.place(factory, verifier, sender, at, text);
        placed.slot().signed(placed.draft().sign());
        commit();
        return placed.slot().block();
    }

    @Override
    public Accepted accept(Block block) throws BlockRejectedException {
        verifier.verifyContent(block);
        Chain.Offered offered = chain.offer(block, verifier, committed());
        List<Block> stored = commit();
        return new Accepted(offered.outcome() == AcceptOutcome.PENDING, stored);
    }

    private List<Block> commit() {
        List<Slot> group = chain.takeReadyPrefix(Integer.MAX_VALUE);
        List<Block> stored = new ArrayList<>();
        for (Slot slot : group) {
            Block block = slot.block();
            blocks.put(block.hash(), block);
            keys.put(block.hash(), slot.key);
            ordered.put(slot.key, block);
            named.putIfAbsent(block.hash(), false);
            block.parents().forEach(p -> named.put(p, true));
            stored.add(block);
        }
        chain.committed(group);
        return stored;
    }

    private Chain.Committed committed() {
        return Chain.Committed.of(blocks::containsKey, hashes -> {
            Map<String, OrderKey> found = new HashMap<>();
            hashes.stream().filter(keys::containsKey).forEach(h -> found.put(h, keys.get(h)));
            return found;
        }, h -> named.getOrDefault(h, false));
    }

    private List<OrderKey> headKeys() {
        return named.entrySet().stream().filter(e -> !e.getValue() && keys.containsKey(e.getKey()))
                .map(e -> keys.get(e.getKey())).sorted().toList();
    }

    @Override
    public List<String> heads() {
        return headKeys().stream().map(OrderKey::hash).sorted().toList();
    }

    @Override
    public List<String> probes() {
        List<String> probes = new ArrayList<>();
        int position = 0;
        int next = 1;
        for (Block block : ordered.descendingMap().values()) {
            position++;
            if (position == next) {
                probes.add(block.hash());
                next *= 2;
            }
        }
        return probes;
    }

    @Override
    public List<String> missingFor(Collection<String> theirs) {
        SyncPlanner planner = new SyncPlanner(hash -> {
            Block block = blocks.get(hash);
            return block == null ? null : new BlockIndex.Entry(keys.get(hash), block.parents());
        });
        return planner.missing(heads(), theirs);
    }

    @Override
    public Optional<Block> block(String hash) {
        return Optional.ofNullable(blocks.get(hash));
    }

    @Override
    public Set<String> wantedBlocks() {
        return chain.wanted();
    }

    @Override
    public Set<String> wantedParents() {
        return chain.pending().missingParents();
    }

    /** The message list as the page shows it: hashes in ledger order. */
    public List<String> ordered() {
        return ordered.values().stream().map(Block::hash).toList();
    }

    public boolean holds(String hash) {
        return blocks.containsKey(hash);
    }

    public String key() {
        return identity.publicKey();
    }
}
