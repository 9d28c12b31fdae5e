package net.ledgerchat.store;

/**
 * An order-independent 64-bit sum over parent edges. The link table is an index derived from the
 * ledger's own parent lists (never trusted for anything the hash does not also cover), so this
 * only has to notice that the two disagree, not resist a forger.
 */
final class LinkDigest {
    private LinkDigest() {
    }

    static long of(String child, String parent) {
        return mix(prefix(child) * 0x9E3779B97F4A7C15L + prefix(parent));
    }

    private static long prefix(String hash) {
        if (hash == null) {
            return 0;
        }
        if (hash.length() >= 16) {
            try {
                return Long.parseUnsignedLong(hash, 0, 16, 16);
            } catch (NumberFormatException e) {
                // not hex: a damaged row; fall through to a value that still differs from the intact one
            }
        }
        return hash.hashCode();
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
