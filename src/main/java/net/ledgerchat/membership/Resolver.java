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

    /** The blocks of {@code domain} (a past: closed under ancestors) that count. */
    BitSet resolve(BitSet domain) {
        BitSet under = new BitSet();
        // Where the rules are antitone each round only grows the under-estimate, so |domain| + 1 rounds suffice.
        // Should a history still keep the estimates moving, the last under-estimate stands: only blocks that count
        // even when as many others as possible are assumed to, and the same on every node, since each round depends
        // on nothing but the blocks and their causal order.
        for (int round = 0; round <= domain.cardinality() + 1; round++) {
            BitSet over = pass(domain, under);
            BitSet next = pass(domain, over);
            if (next.equals(under)) {
                return under;
            }
            under = next;
        }
        unsettled++;
        return under;
    }

    int unsettled() {
        return unsettled;
    }

    /**
     * One pass: with {@code assumed} counting wherever a block needs others not to, which blocks count?
     * Parents come first (positions are topological), so a block's granted past is already decided.
     */
    private BitSet pass(BitSet domain, BitSet assumed) {
        BitSet counting = new BitSet();
        for (int p = domain.nextSetBit(0); p >= 0; p = domain.nextSetBit(p + 1)) {
            MembershipGraph.Node node = graph.node(p);
            if (rules.rule(node.block(), node.past(), counting, assumed) == null
                    && !rules.beaten(p, domain, counting, assumed)) {
                counting.set(p);
            }
        }
        return counting;
    }
}
