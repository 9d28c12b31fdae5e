package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingPoolTest {
    private static final String AUTHOR = "cd".repeat(32);
    private static final String P1 = hashOf("p1");
    private static final String P2 = hashOf("p2");
    private static final String P3 = hashOf("p3");

    private static Block child(String label, String... parents) {
        return TestBlocks.unsigned(List.of(parents), 1, AUTHOR, NOW, label);
    }

    @Test
    void childIsReleasedOnlyWhenAllMissingParentsAreStored() {
        PendingPool pool = new PendingPool(10);
        Block c = child("c", P1, P2, P3);
        // P3 is already stored; only P1 and P2 are missing.
        assertTrue(pool.park(c, Set.of(P1, P2)));
        assertTrue(pool.isWaiting(c.hash()));
        assertEquals(1, pool.size());

        assertEquals(List.of(), pool.stored(P3), "P3 was not awaited");
        assertEquals(List.of(), pool.stored(P1));
        assertTrue(pool.isWaiting(c.hash()));
        assertEquals(List.of(c), pool.stored(P2));
        assertFalse(pool.isWaiting(c.hash()));
        assertEquals(0, pool.size());
        assertEquals(List.of(), pool.stored(P2), "a released block is released once");
    }

    @Test
    void unrelatedStoreReleasesNothing() {
        PendingPool pool = new PendingPool(10);
        Block c = child("c", P1);
        pool.park(c, Set.of(P1));
        assertEquals(List.of(), pool.stored(hashOf("unrelated")));
        assertTrue(pool.isWaiting(c.hash()));
    }

    @Test
    void allChildrenOfAParentAreReleased() {
        PendingPool pool = new PendingPool(10);
        Block a = child("a", P1);
        Block b = child("b", P1, P2);
        Block c = child("c", P1, P2);
        pool.park(a, Set.of(P1));
        pool.park(b, Set.of(P1, P2));
        pool.park(c, Set.of(P1));
        assertEquals(Set.of(a, c), new HashSet<>(pool.stored(P1)));
        assertEquals(List.of(b), pool.stored(P2));
        assertEquals(0, pool.size());
    }

    @Test
    void chainIsReleasedStepByStep() {
        PendingPool pool = new PendingPool(10);
        Block middle = child("middle", P1);
        Block leaf = child("leaf", middle.hash());
        pool.park(leaf, Set.of(middle.hash()));
        pool.park(middle, Set.of(P1));
        assertEquals(List.of(middle), pool.stored(P1));
        assertTrue(pool.isWaiting(leaf.hash()));
        assertEquals(List.of(leaf), pool.stored(middle.hash()));
        assertEquals(0, pool.size());
    }

    @Test
    void missingParentsReflectsWaitingBlocks() {
        PendingPool pool = new PendingPool(10);
        assertEquals(Set.of(), pool.missingParents());
        Block a = child("a", P1, P2);
        Block b = child("b", P2, P3);
        pool.park(a, Set.of(P1, P2));
        pool.park(b, Set.of(P2, P3));
        assertEquals(Set.of(P1, P2, P3), pool.missingParents());
        pool.stored(P2);
        assertEquals(Set.of(P1, P3), pool.missingParents());
        pool.stored(P1);
        assertEquals(Set.of(P3), pool.missingParents());
        pool.stored(P3);
        assertEquals(Set.of(), pool.missingParents());
    }

    @Test
    void capacityEvictsTheOldest() {
        PendingPool pool = new PendingPool(2);
        Block a = child("a", P1);
        Block b = child("b", P2);
        Block c = child("c", P3);
        assertTrue(pool.park(a, Set.of(P1)));
        assertTrue(pool.park(b, Set.of(P2)));
        assertTrue(pool.park(c, Set.of(P3)));
        assertEquals(2, pool.size());
        assertFalse(pool.isWaiting(a.hash()));
        assertTrue(pool.isWaiting(b.hash()));
        assertTrue(pool.isWaiting(c.hash()));
        assertEquals(Set.of(P2, P3), pool.missingParents(), "the evicted block's parent is no longer asked for");
        assertEquals(List.of(), pool.stored(P1), "an evicted block is not released");

        Block d = child("d", P1);
        pool.park(d, Set.of(P1));
        assertFalse(pool.isWaiting(b.hash()));
        assertEquals(Set.of(P3, P1), pool.missingParents());
    }

    @Test
    void evictionKeepsSharedMissingParentOfRemainingBlocks() {
        PendingPool pool = new PendingPool(2);
        Block a = child("a", P1);
        Block b = child("b", P1);
        Block c = child("c", P2);
        pool.park(a, Set.of(P1));
        pool.park(b, Set.of(P1));
        pool.park(c, Set.of(P2));
        assertEquals(Set.of(P1, P2), pool.missingParents());
        assertEquals(List.of(b), pool.stored(P1));
    }

    @Test
    void duplicateParkReturnsFalse() {
        PendingPool pool = new PendingPool(10);
        Block a = child("a", P1, P2);
        assertTrue(pool.park(a, Set.of(P1)));
        assertFalse(pool.park(a, Set.of(P1, P2)));
        assertEquals(1, pool.size());
        assertEquals(Set.of(P1), pool.missingParents(), "the duplicate park changed nothing");
        assertEquals(List.of(a), pool.stored(P1));
    }

    @Test
    void duplicateParkDoesNotEvict() {
        PendingPool pool = new PendingPool(2);
        Block a = child("a", P1);
        Block b = child("b", P2);
        pool.park(a, Set.of(P1));
        pool.park(b, Set.of(P2));
        assertFalse(pool.park(b, Set.of(P2)));
        assertTrue(pool.isWaiting(a.hash()));
        assertEquals(2, pool.size());
    }

    @Test
    void callerSetIsCopied() {
        PendingPool pool = new PendingPool(10);
        Block a = child("a", P1, P2);
        Set<String> missing = new HashSet<>(Set.of(P1, P2));
        pool.park(a, missing);
        missing.clear();
        assertEquals(List.of(), pool.stored(P1));
        assertEquals(List.of(a), pool.stored(P2));
    }

    @Test
    void storingAWaitingBlockItselfDropsIt() {
        PendingPool pool = new PendingPool(10);
        Block a = child("a", P1);
        pool.park(a, Set.of(P1));
        assertEquals(List.of(), pool.stored(a.hash()));
        assertFalse(pool.isWaiting(a.hash()));
        assertEquals(Set.of(), pool.missingParents());
        assertEquals(List.of(), pool.stored(P1));
    }

    @Test
    void clearForgetsEverything() {
        PendingPool pool = new PendingPool(10);
        pool.park(child("a", P1), Set.of(P1));
        pool.clear();
        assertEquals(0, pool.size());
        assertEquals(Set.of(), pool.missingParents());
        assertEquals(List.of(), pool.stored(P1));
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PendingPool(0));
        PendingPool pool = new PendingPool(1);
        assertThrows(IllegalArgumentException.class, () -> pool.park(child("a", P1), Set.of()));
        assertEquals(0, pool.size());
    }
}
