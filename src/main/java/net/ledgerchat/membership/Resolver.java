package net.ledgerchat.membership;

import java.util.BitSet;

/**
 * Decides which membership blocks of a past count (DESIGN section 7). A block counts when its rule holds over
 * the counting blocks of its own past and no counting concurrent block beats it. That definition refers to
 * itself through concurrent blocks (two admits of one invite each void the other; two admins promoted
 * concurrently may each remove the other), so it is solved as a logic program under the well-founded semantics,
 * by the alternating fixpoint: a pass assumes a set of blocks counts wherever a block needs others not to
 * count, and derives, parents first, which blocks then count. Passes alternate between under- and
 * over-estimates until both stand still; what is true in both counts, and a conflict that no pass settles
 * (every such cycle is symmetric) leaves all its blocks void. The answer depends only on the blocks and their
 * causal order: not on arrival, hashes, timestamps or the order of concurrent blocks.
 */
final class Resolver {
    private final MembershipGraph graph;
    private final Rules rules;
    /** Resolutions that ended on the round limit instead of standing still: none where the rules are antitone. */
    private int unsettled;

    Resolver(MembershipGraph graph, Rules rules) {
        this.graph = graph;
        this.rules = rules;
    }

    /**
     * What a past resolves to under the well-founded semantics: the blocks that count, and those that may (the
     * ones that count and the undecided ones, which count nowhere but still decide what depends on them).
     */
    record Verdicts(BitSet counting, BitSet possible) {
        static final Verdicts NONE = new Verdicts(new BitSet(), new BitSet());
    }

    /** The verdicts on {@code domain}, a past (closed under ancestors). */
    Verdicts resolve(BitSet domain) {
        return resolve(domain, new BitSet(), Verdicts.NONE);
    }

    /**
     * The same, knowing the verdicts on part of it: {@code settled}, a past inside {@code domain} that every other
     * block of {@code domain} follows (each has all of it in its past). No block of {@code settled} is then
     * concurrent with a new one, so no new block can beat it, and its rules read only its own past: its verdicts
     * stand (the undecided ones too), and only the new blocks are solved. This keeps catching up on a membership
     * history linear: each new block follows what was resolved before it.
     */
    Verdicts resolve(BitSet domain, BitSet settled, Verdicts known) {
        BitSet fresh = (BitSet) domain.clone();
        fresh.andNot(settled);
        BitSet under = (BitSet) known.counting().clone();
        BitSet over = (BitSet) known.possible().clone();
        // Where the rules are antitone each round only grows the under-estimate, so |fresh| + 1 rounds suffice.
        // Should a history still keep the estimates moving, the last under-estimate stands: only blocks that count
        // even when as many others as possible are assumed to, and the same on every node, since each round depends
        // on nothing but the blocks and their causal order.
        for (int round = 0; round <= fresh.cardinality() + 1; round++) {
            over = pass(domain, fresh, known.possible(), under);
            BitSet next = pass(domain, fresh, known.counting(), over);
            if (next.equals(under)) {
                return new Verdicts(under, over);
            }
            under = next;
        }
        unsettled++;
        return new Verdicts(under, over);
    }

    int unsettled() {
        return unsettled;
    }

    /**
     * One pass: with {@code assumed} counting wherever a block needs others not to, which of the {@code fresh}
     * blocks count? Parents come first (positions are topological), so a block's granted past is already decided.
     */
    private BitSet pass(BitSet domain, BitSet fresh, BitSet settledVerdicts, BitSet assumed) {
        BitSet counting = (BitSet) settledVerdicts.clone();
        for (int p = fresh.nextSetBit(0); p >= 0; p = fresh.nextSetBit(p + 1)) {
            MembershipGraph.Node node = graph.node(p);
            if (rules.rule(node.block(), node.past(), counting, assumed) == null
                    && !rules.beaten(p, domain, counting, assumed)) {
                counting.set(p);
            }
        }
        return counting;
    }
}
