package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.message;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a node writes its blocks: parents and height from its heads, and the hash it signs fixed before signing. */
class BlockFactoryTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");
    private static final Instant T = NOW.minusSeconds(5);
    private static final long TS = T.toEpochMilli();
    private final BlockFactory factory = new BlockFactory(alice());

    @Test
    void theOrderOfTheHeadsDoesNotMatter() {
        OrderKey ka = new OrderKey(TS, 2, A);
        OrderKey kb = new OrderKey(TS, 5, B);
        OrderKey kc = new OrderKey(TS, 0, C);
        Block abc = factory.write(GROUP, List.of(ka, kb, kc), T, message("merge"));
        Block cba = factory.write(GROUP, List.of(kc, kb, ka), T, message("merge"));
        Block bac = factory.write(GROUP, new ArrayList<>(List.of(kb, ka, kc)), T, message("merge"));
        assertEquals(abc, cba, "Ed25519 is deterministic, so the whole block is identical");
        assertEquals(abc, bac);
        List<String> sorted = new ArrayList<>(List.of(A, B, C));
        Collections.sort(sorted);
        assertEquals(sorted, abc.parents());
        assertEquals(6, abc.height(), "1 + the highest head");
        assertEquals(alice().publicKey(), abc.author());
        assertDoesNotThrow(() -> TestBlocks.verifier().verify(cba));
    }

    @Test
    void aDraftIsExactlyTheBlockItSigns() {
        List<OrderKey> heads = List.of(new OrderKey(TS, 3, A));
        BlockFactory.Draft draft = factory.draft(GROUP, heads, T, message("hello"));
        Block signed = draft.sign();
        assertEquals(signed.hash(), draft.hash());
        assertEquals(signed.header(), draft.unsignedView().header());
        assertEquals(signed.body(), draft.unsignedView().body());
        // The unsigned view must never pass for the block: its signature is zero.
        assertEquals(TestBlocks.ZERO_SIGNATURE, draft.unsignedView().signature());
        TestBlocks.assertRejected(RejectReason.BAD_SIGNATURE, () -> TestBlocks.verifier().verify(draft.unsignedView()));
        assertDoesNotThrow(() -> TestBlocks.verifier().verify(signed));
        assertEquals(factory.write(GROUP, heads, T, message("hello")), signed);
    }

    @Test
    void aBlockAfterTheGenesisFollowsAtLeastOneDistinctHead() {
        assertThrows(IllegalArgumentException.class, () -> factory.write(GROUP, List.of(), T, message("orphan")));
        OrderKey head = new OrderKey(TS, 0, A);
        assertThrows(IllegalArgumentException.class, () -> factory.write(GROUP, List.of(head, head), T, message("twice")));
    }
}
