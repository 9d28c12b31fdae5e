package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs at the edges of the representable: they must be refused cleanly, never overflow. */
class EdgeCaseTest {
    @Test
    void timestampsBeyondMillisecondRangeAreMalformedNotAnOverflow() {
        Block ok = TestBlocks.signed(alice(), List.of(), 0, "a", NOW, "m");
        for (Instant bad : List.of(Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochMilli(-1))) {
            assertThrows(IllegalArgumentException.class, () -> new Block(ok.parents(), 0, ok.author(), ok.sender(), bad,
                    ok.message(), ok.hash(), ok.signature()), bad.toString());
        }
    }

    @Test
    void invisibleOnlyTextCountsAsEmpty() throws Exception {
        for (String text : List.of("\u200b", "\u00a0\u00a0", "\u2028", "\ufeff \t", "\u0007")) {
            assertFalse(BlockVerifier.hasVisibleCharacter(text), text.codePoints().boxed().toList().toString());
            Block block = TestBlocks.signed(alice(), List.of(), 0, "a", NOW, text);
            BlockRejectedException e = assertThrows(BlockRejectedException.class, () -> TestBlocks.verifier().verifyContent(block));
            assertEquals(RejectReason.EMPTY_MESSAGE, e.reason());
        }
        assertTrue(BlockVerifier.hasVisibleCharacter("\u200bx"));
        assertTrue(BlockVerifier.hasVisibleCharacter("\ud83d\ude00"));
    }

    @Test
    void clockSkewIsBoundedSoTheFutureCheckCannotOverflow() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 1, Duration.ofDays(2)));
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 1, Duration.ofSeconds(-1)));
    }
}
