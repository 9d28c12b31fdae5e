package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs at the edges of the representable: they must be refused cleanly, never overflow, or come back unchanged. */
class EdgeCaseTest {
    private static final List<Instant> BEYOND_MILLIS = List.of(Instant.MAX, Instant.MIN,
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochMilli(-1));

    @Test
    void timestampsBeyondMillisecondRangeAreMalformedNotAnOverflow() {
        Body body = TestBlocks.message("m");
        for (Instant bad : BEYOND_MILLIS) {
            assertThrows(IllegalArgumentException.class,
                    () -> TestBlocks.header(GROUP, List.of(hashOf("p")), 1, alice().publicKey(), bad, body), bad.toString());
            // The invite's expiry is signed as epoch milliseconds too.
            assertThrows(IllegalArgumentException.class, () -> new Body.Invite(alice().publicKey(), bad), bad.toString());
        }
        Instant latest = Instant.parse("9999-12-31T23:59:59.999Z");
        assertDoesNotThrow(() -> TestBlocks.header(GROUP, List.of(hashOf("p")), 1, alice().publicKey(), latest, body));
    }

    @Test
    void invisibleOnlyTextCountsAsEmpty() {
        for (String text : List.of("\u200b", "\u00a0\u00a0", "\u2028", "\ufeff \t", "\u0007")) {
            assertFalse(BlockVerifier.hasVisibleCharacter(text), text.codePoints().boxed().toList().toString());
            Block block = TestBlocks.signed(alice(), List.of(hashOf("p")), 1, NOW, text);
            TestBlocks.assertRejected(RejectReason.EMPTY_MESSAGE, () -> TestBlocks.verifier().verify(block));
        }
        assertTrue(BlockVerifier.hasVisibleCharacter("\u200bx"));
        assertTrue(BlockVerifier.hasVisibleCharacter("\ud83d\ude00"));
    }

    /** What a user may type comes back exactly: through the body's encoding, and past the verifier. */
    @Test
    void unicodeTextsRoundTripAndVerify() throws Exception {
        String longest = "\ud83d\ude00".repeat(Limits.DEFAULT.maxMessageBytes() / 4); // 4-byte characters, to the byte limit
        List<String> texts = List.of("hello", "\u00e9t\u00e9 na\u00efve", "\u4e2d\u6587", "\u05e9\u05dc\u05d5\u05dd",
                "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "e\u0301", "\ud834\udd1e", "tab\tand\nnewline",
                " leading and trailing ", "\u200bx", longest);
        for (String text : texts) {
            Body.Message body = TestBlocks.message(text);
            Body decoded = Body.decode(Kind.MESSAGE, body.encode(), Limits.DEFAULT);
            assertEquals(text, ((Body.Message) decoded).text(), text);
            assertArrayEquals(body.encode(), decoded.encode());
            Block block = TestBlocks.signed(alice(), List.of(hashOf("p")), 1, NOW, text);
            TestBlocks.verifier().verify(block);
        }
    }

    @Test
    void clockSkewIsBoundedSoTheFutureCheckCannotOverflow() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 1, Duration.ofDays(2)));
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 1, Duration.ofSeconds(-1)));
    }
}
