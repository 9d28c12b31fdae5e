package net.ledgerchat.membership;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A block's membership context (DESIGN section 7): the latest membership blocks in its past, as positions in
 * the {@link MembershipGraph}. Two blocks with the same context see the same membership, so what is resolved
 * for one context serves every block under it (usually all of them: the current membership heads).
 */
public record Context(int[] latest) {
    public static final Context EMPTY = new Context(new int[0]);

    public Context {
        latest = latest.clone();
        Arrays.sort(latest);
        for (int i = 1; i < latest.length; i++) {
            if (latest[i] == latest[i - 1]) {
                throw new IllegalArgumentException("a context names each membership block once");
            }
        }
    }

    static Context of(BitSet positions) {
        return new Context(positions.stream().toArray());
    }

    @Override
    public int[] latest() {
        return latest.clone();
    }

    BitSet toBitSet() {
        BitSet set = new BitSet();
        for (int position : latest) {
            set.set(position);
        }
        return set;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Context that && Arrays.equals(latest, that.latest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(latest);
    }

    @Override
    public String toString() {
        return "Context" + Arrays.toString(latest);
    }
}
