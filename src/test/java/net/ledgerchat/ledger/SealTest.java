package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.flipHex;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SealTest {
    private static final String HASH = hashOf("sealed block");
    private static final String SIGNATURE = TestBlocks.alice().sign(Hex.decode(HASH, 32, "hash"));
    private static final long ORDER_TS = 1_700_000_000_000L;

    @Test
    void matchesItsOwnOutput() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertTrue(Hex.isHex(s, 32), s);
        assertTrue(seal.matches(s, HASH, SIGNATURE, ORDER_TS));
        // Deterministic across calls (the input buffer is reused) and across Seal instances of one identity.
        assertEquals(s, seal.compute(HASH, SIGNATURE, ORDER_TS));
        assertEquals(s, TestBlocks.alice().seal().compute(HASH, SIGNATURE, ORDER_TS));
        assertTrue(TestBlocks.alice().seal().matches(s, HASH, SIGNATURE, ORDER_TS));
    }

    @Test
    void changedHashFails() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(seal.matches(s, flipHex(HASH, 0), SIGNATURE, ORDER_TS));
        assertFalse(seal.matches(s, flipHex(HASH, 63), SIGNATURE, ORDER_TS));
    }

    @Test
    void changedSignatureFails() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(seal.matches(s, HASH, flipHex(SIGNATURE, 0), ORDER_TS));
        assertFalse(seal.matches(s, HASH, flipHex(SIGNATURE, 127), ORDER_TS));
    }

    @Test
    void changedOrderTsFails() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(seal.matches(s, HASH, SIGNATURE, ORDER_TS + 1));
        assertFalse(seal.matches(s, HASH, SIGNATURE, ORDER_TS - 1));
        assertFalse(seal.matches(s, HASH, SIGNATURE, 0));
    }

    @Test
    void changedSealFails() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(seal.matches(flipHex(s, 0), HASH, SIGNATURE, ORDER_TS));
        assertFalse(seal.matches(flipHex(s, 63), HASH, SIGNATURE, ORDER_TS));
    }

    @Test
    void sealFromAnotherIdentityFails() {
        String byBob = TestBlocks.bob().seal().compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(TestBlocks.alice().seal().matches(byBob, HASH, SIGNATURE, ORDER_TS));
        String byAlice = TestBlocks.alice().seal().compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(TestBlocks.bob().seal().matches(byAlice, HASH, SIGNATURE, ORDER_TS));
    }

    @Test
    void malformedInputsDoNotMatchAndDoNotThrow() {
        Seal seal = TestBlocks.alice().seal();
        String s = seal.compute(HASH, SIGNATURE, ORDER_TS);
        assertFalse(seal.matches(null, HASH, SIGNATURE, ORDER_TS));
        assertFalse(seal.matches("", HASH, SIGNATURE, ORDER_TS));
        assertFalse(seal.matches("A" + s.substring(1), HASH, SIGNATURE, ORDER_TS)); // upper case
        assertFalse(seal.matches(s.substring(2), HASH, SIGNATURE, ORDER_TS));
        assertFalse(seal.matches(s, null, SIGNATURE, ORDER_TS));
        assertFalse(seal.matches(s, HASH.substring(1), SIGNATURE, ORDER_TS));
        assertFalse(seal.matches(s, HASH, null, ORDER_TS));
        assertFalse(seal.matches(s, HASH, SIGNATURE + "00", ORDER_TS));
    }

    @Test
    void projectionFingerprintChangesWithEveryField() {
        Seal seal = TestBlocks.alice().seal();
        String author = TestBlocks.alice().publicKey();
        OrderKey key = new OrderKey(ORDER_TS, 3, HASH);
        long base = seal.projection(key, author, ORDER_TS, "hello");
        assertEquals(base, TestBlocks.alice().seal().projection(key, author, ORDER_TS, "hello"));
        assertNotEquals(base, seal.projection(new OrderKey(ORDER_TS + 1, 3, HASH), author, ORDER_TS, "hello"));
        assertNotEquals(base, seal.projection(new OrderKey(ORDER_TS, 4, HASH), author, ORDER_TS, "hello"));
        assertNotEquals(base, seal.projection(new OrderKey(ORDER_TS, 3, flipHex(HASH, 5)), author, ORDER_TS, "hello"));
        assertNotEquals(base, seal.projection(key, TestBlocks.bob().publicKey(), ORDER_TS, "hello"));
        assertNotEquals(base, seal.projection(key, author, ORDER_TS + 1, "hello"));
        assertNotEquals(base, seal.projection(key, author, ORDER_TS, "hellp"));
        assertNotEquals(base, seal.projection(key, author, ORDER_TS, "hello "));
        // The string form and the scan's decoded form are one fingerprint: the scan compares them.
        assertEquals(base, seal.projection(ORDER_TS, 3, Hex.decode(HASH, 32, "hash"), Hex.decode(author, 32, "author"),
                ORDER_TS, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // Keyed: another node's fingerprint of the same row differs, so nobody without the key can forge sums.
        assertNotEquals(base, TestBlocks.bob().seal().projection(key, author, ORDER_TS, "hello"));
    }

    @Test
    void headSealCoversCountAndEveryHead() {
        Seal seal = TestBlocks.alice().seal();
        java.util.List<String> heads = java.util.List.of(HASH, hashOf("other head"));
        String s = seal.compute(10, heads);
        assertTrue(seal.matches(s, 10, heads));
        assertFalse(seal.matches(s, 11, heads));
        assertFalse(seal.matches(s, 10, heads.subList(0, 1)));
        assertFalse(seal.matches(s, 10, java.util.List.of(HASH, flipHex(heads.get(1), 0))));
        assertFalse(seal.matches(s, 10, java.util.List.of("not hex", HASH)));
        assertFalse(TestBlocks.bob().seal().matches(s, 10, heads));
    }
}
