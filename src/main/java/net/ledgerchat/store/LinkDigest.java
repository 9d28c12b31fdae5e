package net.ledgerchat.store;

/**
 * An order-independent 64-bit sum over parent edges. The link table is an index derived from the
 * ledger's own parent lists (never trusted for anything the hash does not also cover), so this
 * only has to notice that the two disagree, not resist a forger.
 */
final class LinkDigest {
    private LinkDigest() {
    }

    /** The edge from {@code child} to the parent at byte {@code parentAt} of {@code parents} (32 bytes each). */
    static long of(byte[] child, byte[] parents, int parentAt) {
        return absorb(absorb(0x9E3779B97F4A7C15L, child, 0, length(child)), parents, parentAt, Tables.HASH_BYTES);
    }

    static long of(byte[] child, byte[] parent) {
        return absorb(absorb(0x9E3779B97F4A7C15L, child, 0, length(child)), parent, 0, length(parent));
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }

    /** Every byte counts: a link edited in any byte must change the sum, not just in its first 8. */
    private static long absorb(long state, byte[] hash, int at, int length) {
        if (hash == null) {
            return mix(state ^ 0x632BE59BD9B4E019L);
        }
        if (length == Tables.HASH_BYTES) {
            for (int i = at; i < at + length; i += 8) {
                state = mix(state + longAt(hash, i));
            }
            return state;
        }
        // Not 32 bytes (a damaged row): still a value that differs from any intact link's.
        return mix(state + java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(hash, at, at + length))
                + ((long) length << 32) + 1);
    }

    private static long longAt(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
