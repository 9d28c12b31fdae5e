package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Block constructor's shape checks. */
class BlockTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");
    private static final String KEY = "11".repeat(32);
    private static final String HASH = "22".repeat(32);
    private static final String SIG = "3c".repeat(64);

    private static Block block(List<String> parents, long height, String author, Instant ts, String hash, String sig) {
        return new Block(parents, height, author, "sender", ts, "message", hash, sig);
    }

    private static Block block(List<String> parents) {
        return block(parents, parents.isEmpty() ? 0 : 1, KEY, NOW, HASH, SIG);
    }

    @Test
    void wellFormedBlockIsAccepted() {
        Block b = assertDoesNotThrow(() -> block(List.of(A)));
        assertFalse(b.isGenesis());
        assertTrue(block(List.of()).isGenesis());
    }

    @Test
    void unsortedParentsAreSorted() {
        List<String> expected = new ArrayList<>(List.of(A, B, C));
        expected.sort(null);
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(expected, block(reversed).parents());
        assertEquals(block(expected), block(reversed));
    }

    @Test
    void parentsAreCopiedAndImmutable() {
        List<String> parents = new ArrayList<>(List.of(A));
        Block b = block(parents);
        parents.add(B);
        assertEquals(List.of(A), b.parents());
        assertThrows(UnsupportedOperationException.class, () -> b.parents().add(C));
    }

    @Test
    void duplicateParentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> block(List.of(A, B, A)));
        assertThrows(IllegalArgumentException.class, () -> block(List.of(A, A)));
    }

    @Test
    void badHexIsRefused() {
        String upper = KEY.toUpperCase().replace('1', 'A');
        for (String bad : new String[] {null, "", "11", KEY + "11", "1".repeat(63), "g".repeat(64), "AB".repeat(32), upper,
                " " + "1".repeat(63)}) {
            assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, bad, NOW, HASH, SIG), "author " + bad);
            assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, NOW, bad, SIG), "hash " + bad);
            if (bad != null) {
                assertThrows(IllegalArgumentException.class, () -> block(List.of(bad)), "parent " + bad);
            }
        }
        // A signature must be 64 bytes: a 32-byte one is refused.
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, NOW, HASH, HASH));
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, NOW, HASH, SIG.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, NOW, HASH, null));
        // A 32-byte hex string is not a 64-byte signature and vice versa.
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, NOW, SIG, SIG));
    }

    @Test
    void subMillisecondTimestampIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> block(List.of(), 0, KEY, NOW.plusNanos(1), HASH, SIG));
        assertThrows(IllegalArgumentException.class,
                () -> block(List.of(), 0, KEY, NOW.plusNanos(999_999), HASH, SIG));
        assertDoesNotThrow(() -> block(List.of(), 0, KEY, NOW.plusNanos(1_000_000), HASH, SIG));
    }

    @Test
    void timestampBefore1970IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), 0, KEY, Instant.ofEpochMilli(-1), HASH, SIG));
        assertDoesNotThrow(() -> block(List.of(), 0, KEY, Instant.EPOCH, HASH, SIG));
    }

    @Test
    void negativeHeightIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> block(List.of(), -1, KEY, NOW, HASH, SIG));
        assertThrows(IllegalArgumentException.class, () -> block(List.of(A), Long.MIN_VALUE, KEY, NOW, HASH, SIG));
    }

    @Test
    void nullFieldsAreRefused() {
        assertThrows(NullPointerException.class, () -> new Block(null, 0, KEY, "s", NOW, "m", HASH, SIG));
        assertThrows(NullPointerException.class, () -> new Block(List.of(), 0, KEY, null, NOW, "m", HASH, SIG));
        assertThrows(NullPointerException.class, () -> new Block(List.of(), 0, KEY, "s", null, "m", HASH, SIG));
        assertThrows(NullPointerException.class, () -> new Block(List.of(), 0, KEY, "s", NOW, null, HASH, SIG));
    }
}
