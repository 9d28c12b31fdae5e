package net.ledgerchat.store;

import net.ledgerchat.ledger.Hex;

/**
 * An order-independent 64-bit sum over parent edges. The link table is an index derived from the
 * ledger's own parent lists (never trusted for anything the hash does not also cover), so this
 * only has to notice that the two disagree, not resist a forger.
 */
final class LinkDigest {
    private LinkDigest() {
    }

    static long of(String child, String parent) {
        return absorb(absorb(0x9E3779B97F4A7C15L, child), parent);
    }

    /** Every character counts: a link edited in any digit must change the sum, not just in its first 16. */
    private static long absorb(long state, String hash) {
        if (hash == null) {
            return mix(state ^ 0x632BE59BD9B4E019L);
        }
        if (Hex.isHex(hash, 32)) {
            for (int i = 0; i < 64; i += 16) {
                state = mix(state + Long.parseUnsignedLong(hash, i, i + 16, 16));
            }
            return state;
        }
        // Not lower-case hex (a damaged row): still a value that differs from any intact link's.
        return mix(state + hash.hashCode() + ((long) hash.length() << 32) + 1);
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
