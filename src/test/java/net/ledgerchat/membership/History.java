package net.ledgerchat.membership;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Block;

/**
 * A ledger for the membership tests: blocks with full reachability, each written on parents its author chose and
 * stored only if {@link Membership#check} allows it there, exactly as a node would. Replays into fresh
 * {@link Membership} instances in any order parents allow.
 */
final class History implements Causality {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private final Map<String, Set<String>> ancestors = new HashMap<>();
    private final Map<String, Context> contexts = new HashMap<>();
    private final Membership membership;
    private final String groupId;
    private long clock;

    History(NodeIdentity founder, String founderName) {
        Block genesis = new BlockFactory(founder).found("Test group", founderName, T0);
        groupId = genesis.hash();
        membership = new Membership(groupId);
        assertStored(genesis, List.of());
    }

    String groupId() {
        return groupId;
    }

    String genesis() {
        return groupId;
    }

    Membership membership() {
        return membership;
    }

    Collection<Block> blocks() {
        return blocks.values();
    }

    Block block(String hash) {
        return blocks.get(hash);
    }

    Context context(String hash) {
        return contexts.get(hash);
    }

    /** Every block now, as heads: the blocks no other block names as parent. */
    List<String> heads() {
        Set<String> named = new HashSet<>();
        for (Block block : blocks.values()) {
            named.addAll(block.parents());
        }
        List<String> heads = new ArrayList<>();
        for (String hash : blocks.keySet()) {
            if (!named.contains(hash)) {
                heads.add(hash);
            }
        }
        return heads;
    }

    /** A block by {@code author} on {@code parents}, or the reason it may not be written there. */
    Written write(NodeIdentity author, List<String> parents, Body body) {
        List<OrderKey> heads = new ArrayList<>();
        for (String parent : parents) {
            heads.add(new OrderKey(0, blocks.get(parent).height(), parent));
        }
        Block block = new BlockFactory(author).write(groupId, heads, T0.plusMillis(++clock), body);
        Context atParents = contextOf(parents, membership);
        Optional<Refusal> refusal = membership.check(block, atParents);
        if (refusal.isPresent()) {
            return new Written(block, refusal.get());
        }
        assertStored(block, parents);
        return new Written(block, null);
    }

    record Written(Block block, Refusal refusal) {
        String hash() {
            if (refusal != null) {
                throw new AssertionError("refused: " + refusal.description());
            }
            return block.hash();
        }
    }

    private void assertStored(Block block, List<String> parents) {
        Set<String> past = new HashSet<>();
        for (String parent : parents) {
            past.add(parent);
            past.addAll(ancestors.get(parent));
        }
        blocks.put(block.hash(), block);
        ancestors.put(block.hash(), past);
        contexts.put(block.hash(), membership.record(block, contextOf(parents, membership)));
    }

    private Context contextOf(List<String> parents, Membership into) {
        return contextOf(parents, into, contexts);
    }

    private static Context contextOf(List<String> parents, Membership into, Map<String, Context> contexts) {
        List<Context> parentContexts = new ArrayList<>();
        for (String parent : parents) {
            parentContexts.add(contexts.get(parent));
        }
        return into.contextAfter(parentContexts);
    }

    @Override
    public boolean isAncestor(String ancestor, String descendant) {
        Set<String> past = ancestors.get(descendant);
        return past != null && past.contains(ancestor);
    }

    boolean concurrent(String a, String b) {
        return !a.equals(b) && !isAncestor(a, b) && !isAncestor(b, a);
    }

    /** Whether the block counts in this history's own membership. */
    boolean counts(String hash) {
        return membership.counts(blocks.get(hash), contexts.get(hash), this);
    }

    /**
     * Records every block into a fresh membership in a random order that keeps parents first, checking each again
     * on the way (a block valid where it was written is valid on any node), and answers that membership with the
     * contexts it gave.
     */
    Replay replay(Random random) {
        Membership fresh = new Membership(groupId);
        Map<String, Context> freshContexts = new HashMap<>();
        List<String> ready = new ArrayList<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (Block block : blocks.values()) {
            waiting.put(block.hash(), block.parents().size());
            for (String parent : block.parents()) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(block.hash());
            }
            if (block.parents().isEmpty()) {
                ready.add(block.hash());
            }
        }
        while (!ready.isEmpty()) {
            String hash = ready.remove(random.nextInt(ready.size()));
            Block block = blocks.get(hash);
            Context atParents = contextOf(block.parents(), fresh, freshContexts);
            Optional<Refusal> refusal = fresh.check(block, atParents);
            if (refusal.isPresent()) {
                throw new AssertionError("block " + hash + " stored once is refused on replay: " + refusal.get().description());
            }
            freshContexts.put(hash, fresh.record(block, atParents));
            for (String child : children.getOrDefault(hash, List.of())) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        return new Replay(fresh, freshContexts);
    }

    final class Replay {
        final Membership membership;
        private final Map<String, Context> replayContexts;

        Replay(Membership membership, Map<String, Context> contexts) {
            this.membership = membership;
            this.replayContexts = contexts;
        }

        boolean counts(String hash) {
            return membership.counts(blocks.get(hash), replayContexts.get(hash), History.this);
        }
    }

}
