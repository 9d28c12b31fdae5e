package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderKeyTest {
    private static final String AUTHOR = "ab".repeat(32);
    private static final long BASE = 1_600_000_000_000L;

    /** A parent sorts before its child even when the child claims an earlier time (the child's clock is behind). */
    @Test
    void parentOrdersBeforeChildWithEarlierTimestamp() {
        Block parent = TestBlocks.unsigned(List.of(), 0, AUTHOR, Instant.ofEpochMilli(BASE + 10_000), "parent");
        OrderKey parentKey = OrderKey.of(parent, 0);
        Block child = TestBlocks.unsigned(List.of(parent.hash()), 1, AUTHOR, Instant.ofEpochMilli(BASE), "child");
        OrderKey childKey = OrderKey.of(child, parentKey.orderTs());
        assertEquals(BASE + 10_000, childKey.orderTs(), "orderTs is lifted to the parent's");
        assertTrue(parentKey.compareTo(childKey) < 0);
        assertTrue(parentKey.sortKey().compareTo(childKey.sortKey()) < 0);
    }

    @Test
    void orderTsIsTheLaterOfTimestampAndParents() {
        Block b = TestBlocks.unsigned(List.of(hashOf("p")), 1, AUTHOR, Instant.ofEpochMilli(BASE + 5), "m");
        assertEquals(BASE + 5, OrderKey.of(b, BASE).orderTs());
        assertEquals(BASE + 9, OrderKey.of(b, BASE + 9).orderTs());
        assertEquals(1, OrderKey.of(b, 0).height());
        assertEquals(b.hash(), OrderKey.of(b, 0).hash());
    }

    @Test
    void keysCompareByOrderTsThenHeightThenHash() {
        String lo = "00".repeat(32);
        String hi = "ff".repeat(32);
        assertTrue(new OrderKey(1, 9, hi).compareTo(new OrderKey(2, 0, lo)) < 0);
        assertTrue(new OrderKey(5, 1, hi).compareTo(new OrderKey(5, 2, lo)) < 0);
        assertTrue(new OrderKey(5, 2, lo).compareTo(new OrderKey(5, 2, hi)) < 0);
        assertEquals(0, new OrderKey(5, 2, lo).compareTo(new OrderKey(5, 2, lo)));
    }

    /**
     * Random DAGs with random (often out-of-order) timestamps: every parent's key is below its
     * child's, and the sortKey string order agrees with compareTo on every pair.
     */
    @Test
    void randomDagsParentsAlwaysOrderFirstAndSortKeysAgree() {
        int skewedEdges = 0;
        for (long seed = 1; seed <= 50; seed++) {
            Random random = new Random(seed);
            List<Block> blocks = new ArrayList<>();
            Map<String, OrderKey> keys = new HashMap<>();
            Map<String, Block> byHash = new HashMap<>();
            List<OrderKey> ordered = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Set<String> parents = new LinkedHashSet<>();
                int wanted = i == 0 || random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(Math.min(i, 4));
                while (parents.size() < wanted) {
                    parents.add(blocks.get(random.nextInt(blocks.size())).hash());
                }
                long height = 0;
                long maxParentTs = 0;
                for (String p : parents) {
                    height = Math.max(height, keys.get(p).height() + 1);
                    maxParentTs = Math.max(maxParentTs, keys.get(p).orderTs());
                }
                // Timestamps jump about by up to an hour either way, and sometimes collide exactly.
                long ts = random.nextInt(4) == 0 ? BASE : BASE + random.nextInt(3_600_000);
                Block block = TestBlocks.unsigned(new ArrayList<>(parents), height, AUTHOR,
                        Instant.ofEpochMilli(ts), "seed " + seed + " block " + i);
                OrderKey key = OrderKey.of(block, maxParentTs);
                for (String p : block.parents()) {
                    OrderKey parentKey = keys.get(p);
                    assertTrue(parentKey.compareTo(key) < 0,
                            "seed " + seed + ": parent " + parentKey + " does not order before child " + key);
                    assertTrue(parentKey.sortKey().compareTo(key.sortKey()) < 0,
                            "seed " + seed + ": parent sortKey not before child's");
                    if (ts < byHash.get(p).timestamp().toEpochMilli()) {
                        skewedEdges++;
                    }
                }
                blocks.add(block);
                keys.put(block.hash(), key);
                byHash.put(block.hash(), block);
                ordered.add(key);
            }
            List<String> sortKeys = new ArrayList<>(ordered.size());
            for (OrderKey k : ordered) {
                sortKeys.add(k.sortKey());
                assertEquals(OrderKey.SORT_KEY_LENGTH, k.sortKey().length(), "seed " + seed);
                assertEquals(k, OrderKey.parseSortKey(k.sortKey()), "seed " + seed);
            }
            for (int i = 0; i < ordered.size(); i++) {
                for (int j = 0; j < ordered.size(); j++) {
                    if (Integer.signum(ordered.get(i).compareTo(ordered.get(j)))
                            != Integer.signum(sortKeys.get(i).compareTo(sortKeys.get(j)))) {
                        fail("seed " + seed + ": sortKey order differs from compareTo for " + ordered.get(i)
                                + " and " + ordered.get(j));
                    }
                }
            }
        }
        assertTrue(skewedEdges > 1000, "the random DAGs should exercise children older than their parents: " + skewedEdges);
    }

    @Test
    void sortKeyOrderMatchesForExtremeValues() {
        List<OrderKey> keys = extremeKeys();
        for (OrderKey a : keys) {
            assertEquals(a, OrderKey.parseSortKey(a.sortKey()));
            for (OrderKey b : keys) {
                if (Integer.signum(a.compareTo(b)) != Integer.signum(a.sortKey().compareTo(b.sortKey()))) {
                    fail("sortKey order differs from compareTo for " + a + " and " + b);
                }
            }
        }
    }

    @Test
    void sortKeyLayout() {
        OrderKey k = new OrderKey(0x1234, 0xab, "cd".repeat(32));
        assertEquals("0000000000001234" + "00000000000000ab" + "cd".repeat(32), k.sortKey());
    }

    @Test
    void invalidSortKeysAreRefused() {
        String valid = new OrderKey(BASE, 3, hashOf("x")).sortKey();
        List<String> bad = new ArrayList<>();
        bad.add(null);
        bad.add("");
        bad.add(valid.substring(1));
        bad.add(valid + "0");
        bad.add(valid.toUpperCase());
        bad.add("g" + valid.substring(1)); // junk in orderTs
        bad.add(valid.substring(0, 20) + "z" + valid.substring(21)); // junk in height
        bad.add(valid.substring(0, 50) + "X" + valid.substring(51)); // junk in hash
        bad.add(valid.substring(0, 95) + "A"); // upper case in hash
        bad.add("+" + valid.substring(1)); // sign accepted by Long.parseUnsignedLong
        bad.add(valid.substring(0, 16) + "-" + valid.substring(17));
        bad.add("8000000000000000" + valid.substring(16)); // negative orderTs
        bad.add(valid.substring(0, 16) + "ffffffffffffffff" + valid.substring(32)); // negative height
        bad.add(" ".repeat(96));
        for (String s : bad) {
            assertThrows(IllegalArgumentException.class, () -> OrderKey.parseSortKey(s), String.valueOf(s));
        }
    }

    /** The stored form: unsigned byte order is the ledger order, it reads back, and its hex is the string form. */
    @Test
    void binarySortKeysOrderAsUnsignedBytesAndRoundTrip() {
        List<OrderKey> keys = extremeKeys();
        for (OrderKey a : keys) {
            byte[] bytes = a.sortKeyBytes();
            assertEquals(OrderKey.SORT_KEY_BYTES, bytes.length);
            assertEquals(a.sortKey(), Hex.encode(bytes));
            assertEquals(a, OrderKey.fromSortKeyBytes(bytes));
            assertTrue(OrderKey.isSortKeyOf(bytes, a.orderTs(), a.height(), Hex.decode(a.hash(), 32, "hash")));
            for (OrderKey b : keys) {
                if (Integer.signum(a.compareTo(b)) != Integer.signum(java.util.Arrays.compareUnsigned(bytes, b.sortKeyBytes()))) {
                    fail("binary sort key order differs from compareTo for " + a + " and " + b);
                }
            }
        }
    }

    @Test
    void invalidBinarySortKeysAreRefusedAndDoNotMatch() {
        OrderKey key = new OrderKey(BASE, 3, hashOf("x"));
        byte[] valid = key.sortKeyBytes();
        byte[] hash = Hex.decode(key.hash(), 32, "hash");
        List<byte[]> bad = new ArrayList<>();
        bad.add(null);
        bad.add(new byte[0]);
        bad.add(java.util.Arrays.copyOf(valid, 47));
        bad.add(java.util.Arrays.copyOf(valid, 49));
        byte[] negativeTs = valid.clone();
        negativeTs[0] = (byte) 0x80;
        bad.add(negativeTs);
        byte[] negativeHeight = valid.clone();
        negativeHeight[8] = (byte) 0xff;
        bad.add(negativeHeight);
        for (byte[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> OrderKey.fromSortKeyBytes(b));
            assertTrue(!OrderKey.isSortKeyOf(b, key.orderTs(), key.height(), hash));
        }
        for (int at = 0; at < valid.length; at++) {
            byte[] edited = valid.clone();
            edited[at] ^= 1;
            assertTrue(!OrderKey.isSortKeyOf(edited, key.orderTs(), key.height(), hash), "byte " + at);
        }
        assertTrue(!OrderKey.isSortKeyOf(valid, key.orderTs(), key.height(), java.util.Arrays.copyOf(hash, 31)));
        assertTrue(!OrderKey.isSortKeyOf(valid, key.orderTs(), key.height(), null));
    }

    /** Keys at the digit and byte edges (15/16, 127/128, 255/256, the sign bit of a byte, of an int, of a long). */
    private static List<OrderKey> extremeKeys() {
        long[] values = {0, 1, 15, 16, 127, 128, 255, 256, 1L << 31, 1L << 32, BASE, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        String[] hashes = {"00".repeat(32), "7f".repeat(32), "80".repeat(32), "ff".repeat(32), hashOf("x")};
        List<OrderKey> keys = new ArrayList<>();
        for (long ts : values) {
            for (long h : values) {
                for (String hash : hashes) {
                    keys.add(new OrderKey(ts, h, hash));
                }
            }
        }
        return keys;
    }

    @Test
    void constructorRefusesNegativesAndBadHash() {
        assertThrows(IllegalArgumentException.class, () -> new OrderKey(-1, 0, hashOf("x")));
        assertThrows(IllegalArgumentException.class, () -> new OrderKey(0, -1, hashOf("x")));
        assertThrows(IllegalArgumentException.class, () -> new OrderKey(0, 0, "xyz"));
        assertThrows(IllegalArgumentException.class, () -> new OrderKey(0, 0, null));
    }
}
