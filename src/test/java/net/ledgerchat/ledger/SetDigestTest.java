package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SetDigestTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");

    @Test
    void plusThenMinusReturnsToEmpty() {
        assertEquals(SetDigest.EMPTY, SetDigest.EMPTY.plus(A).minus(A));
        SetDigest abc = SetDigest.EMPTY.plus(A).plus(B).plus(C);
        assertEquals(3, abc.count());
        assertEquals(SetDigest.EMPTY, abc.minus(B).minus(C).minus(A));
        assertEquals(SetDigest.EMPTY.plus(A), abc.minus(B).minus(C));
    }

    @Test
    void orderIndependent() {
        Random random = new Random(5);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hashes.add(TestBlocks.randomHash(random));
        }
        SetDigest forward = fold(hashes);
        for (int round = 0; round < 10; round++) {
            Collections.shuffle(hashes, random);
            assertEquals(forward, fold(hashes), "seed 5 round " + round);
        }
        assertEquals(SetDigest.EMPTY.plus(A).plus(B), SetDigest.EMPTY.plus(B).plus(A));
    }

    @Test
    void differentSetsDiffer() {
        assertNotEquals(SetDigest.EMPTY.plus(A).plus(B), SetDigest.EMPTY.plus(A).plus(C));
        assertNotEquals(SetDigest.EMPTY.plus(A), SetDigest.EMPTY.plus(A).plus(B).plus(B), "count tells a duplicate pair");
        assertNotEquals(SetDigest.EMPTY, SetDigest.EMPTY.plus(A));
    }

    @Test
    void accumulatorEqualsFoldOfPlus() {
        Random random = new Random(9);
        List<String> hashes = new ArrayList<>();
        SetDigest.Accumulator acc = new SetDigest.Accumulator();
        assertEquals(SetDigest.EMPTY, acc.digest());
        for (int i = 0; i < 1000; i++) {
            String h = TestBlocks.randomHash(random);
            hashes.add(h);
            acc.add(Hex.decode(h, 32, "hash"));
            if (i % 97 == 0) {
                assertEquals(fold(hashes), acc.digest(), "seed 9 after " + (i + 1));
            }
        }
        assertEquals(fold(hashes), acc.digest());
        assertEquals(1000, acc.digest().count());
    }

    @Test
    void minusOfEmptyIsRefused() {
        assertThrows(IllegalStateException.class, () -> SetDigest.EMPTY.minus(A));
    }

    @Test
    void constructorChecks() {
        assertEquals(0, SetDigest.EMPTY.count());
        assertEquals("0".repeat(64), SetDigest.EMPTY.xor());
        assertThrows(IllegalArgumentException.class, () -> new SetDigest(-1, "0".repeat(64)));
        assertThrows(NullPointerException.class, () -> new SetDigest(0, null));
        assertThrows(IllegalArgumentException.class, () -> new SetDigest(0, "0".repeat(63)));
        assertThrows(IllegalArgumentException.class, () -> SetDigest.EMPTY.plus("XYZ"));
    }

    private static SetDigest fold(List<String> hashes) {
        SetDigest d = SetDigest.EMPTY;
        for (String h : hashes) {
            d = d.plus(h);
        }
        return d;
    }
}
