package net.ledgerchat.ledger;

import java.util.Objects;

/**
 * An order-independent digest of a set of block hashes: their count and the XOR of their bytes.
 * The writer keeps it (sealed) next to the ledger; a validation scan recomputes it in constant
 * memory, so a row deleted or inserted behind the node's back shows even when every remaining row
 * is intact.
 */
public record SetDigest(long count, String xor) {
    public static final SetDigest EMPTY = new SetDigest(0, "0".repeat(Block.HASH_BYTES * 2));

    public SetDigest {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        Objects.requireNonNull(xor, "xor");
        Hex.decode(xor, Block.HASH_BYTES, "digest");
    }

    public SetDigest plus(String hash) {
        return new SetDigest(count + 1, xorHex(xor, hash));
    }

    public SetDigest minus(String hash) {
        if (count == 0) {
            throw new IllegalStateException("digest of an empty set");
        }
        return new SetDigest(count - 1, xorHex(xor, hash));
    }

    /** The digest of the union of two disjoint sets (e.g. two halves of one scan). */
    public SetDigest merge(SetDigest other) {
        return new SetDigest(count + other.count, xorHex(xor, other.xor));
    }

    private static String xorHex(String a, String b) {
        byte[] x = Hex.decode(a, Block.HASH_BYTES, "digest");
        byte[] y = Hex.decode(b, Block.HASH_BYTES, "hash");
        for (int i = 0; i < x.length; i++) {
            x[i] ^= y[i];
        }
        return Hex.encode(x);
    }

    /** A mutable accumulator for scans over many rows, without allocating per row. */
    public static final class Accumulator {
        private final byte[] xor = new byte[Block.HASH_BYTES];
        private long count;

        public void add(byte[] hash) {
            for (int i = 0; i < xor.length; i++) {
                xor[i] ^= hash[i];
            }
            count++;
        }

        public SetDigest digest() {
            return new SetDigest(count, Hex.encode(xor));
        }
    }
}
