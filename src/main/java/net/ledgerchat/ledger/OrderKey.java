package net.ledgerchat.ledger;

import java.util.Comparator;

/**
 * A block's place in the one total order: {@code (orderTs, height, hash)} where
 * {@code orderTs = max(timestamp, orderTs of every parent)}. A child's orderTs is at least its
 * parents' and its height is larger, so a parent always sorts first; nothing in the key depends
 * on what arrives later, so it never changes once computed.
 */
public record OrderKey(long orderTs, long height, String hash) implements Comparable<OrderKey> {
    private static final Comparator<OrderKey> ORDER = Comparator.comparingLong(OrderKey::orderTs)
            .thenComparingLong(OrderKey::height)
            .thenComparing(OrderKey::hash);
    /** 16 hex digits of orderTs, 16 of height, 64 of hash. */
    public static final int SORT_KEY_LENGTH = 96;
    /** The binary form: 8 bytes of orderTs, 8 of height, 32 of hash, big-endian; hex of it is {@link #sortKey()}. */
    public static final int SORT_KEY_BYTES = 48;

    public OrderKey {
        if (orderTs < 0 || height < 0) {
            throw new IllegalArgumentException("order timestamp and height must not be negative");
        }
        Hex.decode(hash, Block.HASH_BYTES, "hash");
    }

    public static OrderKey of(Block block, long maxParentOrderTs) {
        return new OrderKey(Math.max(block.timestamp().toEpochMilli(), maxParentOrderTs), block.height(), block.hash());
    }

    /**
     * The key as one fixed-width string whose character order is the ledger order, so one indexed
     * column serves ordering and keyset paging on any database.
     */
    public String sortKey() {
        char[] key = new char[SORT_KEY_LENGTH];
        hex16(orderTs, key, 0);
        hex16(height, key, 16);
        hash.getChars(0, hash.length(), key, 32);
        return new String(key);
    }

    private static void hex16(long value, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
    }

    /** Whether {@code sortKey} is exactly the sort key of these fields, without building it. */
    public static boolean isSortKeyOf(String sortKey, long orderTs, long height, String hash) {
        return sortKey != null && sortKey.length() == SORT_KEY_LENGTH && hash.length() == 64
                && isHex16(sortKey, 0, orderTs) && isHex16(sortKey, 16, height) && sortKey.regionMatches(32, hash, 0, 64);
    }

    private static boolean isHex16(String text, int at, long value) {
        for (int i = 15; i >= 0; i--) {
            if (text.charAt(at + i) != Character.forDigit((int) (value & 0xF), 16)) {
                return false;
            }
            value >>>= 4;
        }
        return true;
    }

    public static OrderKey parseSortKey(String sortKey) {
        if (sortKey == null || sortKey.length() != SORT_KEY_LENGTH
                || !Hex.isHex(sortKey.substring(0, 32), 16)) {
            throw new IllegalArgumentException("not a sort key");
        }
        return new OrderKey(Long.parseUnsignedLong(sortKey.substring(0, 16), 16),
                Long.parseUnsignedLong(sortKey.substring(16, 32), 16), sortKey.substring(32));
    }

    /**
     * The sort key as the database stores it. Big-endian and never negative, so comparing two keys byte by
     * byte, unsigned (as H2 and SQL Server compare binary columns), is the ledger order, like the string form.
     */
    public byte[] sortKeyBytes() {
        byte[] key = new byte[SORT_KEY_BYTES];
        putLong(orderTs, key, 0);
        putLong(height, key, 8);
        Hex.decodeInto(hash, 0, Block.HASH_BYTES, key, 16);
        return key;
    }

    private static void putLong(long value, byte[] into, int at) {
        for (int i = 7; i >= 0; i--) {
            into[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long getLong(byte[] from, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (from[at + i] & 0xFF);
        }
        return value;
    }

    /** Whether {@code sortKey} is exactly the binary sort key of these fields (a 32-byte hash), without building it. */
    public static boolean isSortKeyOf(byte[] sortKey, long orderTs, long height, byte[] hash) {
        return sortKey != null && sortKey.length == SORT_KEY_BYTES && hash != null && hash.length == Block.HASH_BYTES
                && getLong(sortKey, 0) == orderTs && getLong(sortKey, 8) == height
                && java.util.Arrays.equals(sortKey, 16, SORT_KEY_BYTES, hash, 0, Block.HASH_BYTES);
    }

    /** The key a binary sort key stands for; IllegalArgumentException for a wrong length or a negative part. */
    public static OrderKey fromSortKeyBytes(byte[] sortKey) {
        if (sortKey == null || sortKey.length != SORT_KEY_BYTES) {
            throw new IllegalArgumentException("not a sort key");
        }
        return new OrderKey(getLong(sortKey, 0), getLong(sortKey, 8),
                Hex.encode(java.util.Arrays.copyOfRange(sortKey, 16, SORT_KEY_BYTES)));
    }

    @Override
    public int compareTo(OrderKey other) {
        return ORDER.compare(this, other);
    }
}
