package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.assertRejected;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.signed;
import static net.ledgerchat.ledger.TestBlocks.signedBy;
import static net.ledgerchat.ledger.TestBlocks.verifier;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockVerifierTest {
    private static final Instant T = NOW.minusSeconds(60);
    private static final String P1 = hashOf("parent-1");
    private static final String P2 = hashOf("parent-2");
    private static final String P3 = hashOf("parent-3");

    private final BlockVerifier verifier = verifier();

    // ---- valid blocks -------------------------------------------------------------------------

    @Test
    void validGenesisFromFactoryPasses() {
        Block genesis = TestBlocks.factory(alice()).create(List.of(), "alice", T, "hello");
        assertTrue(genesis.isGenesis());
        assertEquals(0, genesis.height());
        assertDoesNotThrow(() -> verifier.verifyContent(genesis));
        assertDoesNotThrow(() -> verifier.verifyHeight(genesis, Map.of()));
    }

    @Test
    void validChildFromFactoryPasses() {
        List<OrderKey> heads = List.of(new OrderKey(T.toEpochMilli(), 4, P1), new OrderKey(T.toEpochMilli(), 7, P2));
        Block child = TestBlocks.factory(alice()).create(heads, "alice", T, "reply");
        assertEquals(8, child.height());
        assertDoesNotThrow(() -> verifier.verifyContent(child));
        assertDoesNotThrow(() -> verifier.verifyHeight(child, Map.of(P1, 4L, P2, 7L)));
    }

    // ---- copies of held blocks ------------------------------------------------------------------

    @Test
    void aCopyOfAHeldBlockIsADuplicateWhateverItsSignatureButNeverPastTheOtherRules() throws Exception {
        Block held = signed(alice(), List.of(), 0, "alice", T, "hello");
        Block other = signed(alice(), List.of(), 0, "alice", T, "other");
        Block badSignature = new Block(held.parents(), held.height(), held.author(), held.sender(), held.timestamp(),
                held.message(), held.hash(), other.signature());
        assertTrue(verifier.verifyUnlessHeld(badSignature, held.hash()::equals), "known by hash: no signature check");
        assertEquals(false, verifier.verifyUnlessHeld(held, h -> false), "not held: fully checked, and it passes");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyUnlessHeld(badSignature, h -> false));
        Block edited = new Block(held.parents(), held.height(), held.author(), held.sender(), held.timestamp(),
                "edited", held.hash(), held.signature());
        assertRejected(RejectReason.BAD_HASH, () -> verifier.verifyUnlessHeld(edited, held.hash()::equals));
    }

    // ---- BAD_HASH -----------------------------------------------------------------------------

    @Test
    void hashNotMatchingContentsIsBadHash() {
        Block good = signed(alice(), List.of(), 0, "alice", T, "hello");
        // A well-formed hash, correctly signed by the author, that is just not the hash of the contents.
        String otherHash = hashOf("something else");
        String signature = alice().sign(Hex.decode(otherHash, Block.HASH_BYTES, "hash"));
        Block forged = new Block(good.parents(), good.height(), good.author(), good.sender(), good.timestamp(),
                good.message(), otherHash, signature);
        assertRejected(RejectReason.BAD_HASH, () -> verifier.verifyContent(forged));
    }

    @Test
    void blockOfAnotherGroupIsBadHash() {
        Block foreign = signedBy(alice(), alice(), "another-group", List.of(), 0, "alice", T, "hello");
        assertRejected(RejectReason.BAD_HASH, () -> verifier.verifyContent(foreign));
        assertDoesNotThrow(() -> new BlockVerifier("another-group", Limits.DEFAULT, TestBlocks.CLOCK).verifyContent(foreign));
    }

    // ---- BAD_SIGNATURE ------------------------------------------------------------------------

    @Test
    void signedByAnotherKeyIsBadSignature() {
        Block impostor = signedBy(alice(), bob(), TestBlocks.GROUP, List.of(), 0, "alice", T, "I am alice");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(impostor));
    }

    @Test
    void flippedSignatureByteIsBadSignature() {
        Block good = signed(alice(), List.of(P1), 1, "alice", T, "hello");
        byte[] signature = Hex.decode(good.signature(), Block.SIGNATURE_BYTES, "signature");
        for (int index : new int[] {0, 17, 31, 32, 50, 63}) {
            byte[] flipped = signature.clone();
            flipped[index] ^= 0x01;
            Block bad = new Block(good.parents(), good.height(), good.author(), good.sender(), good.timestamp(),
                    good.message(), good.hash(), Hex.encode(flipped));
            assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(bad));
        }
    }

    @Test
    void zeroSignatureAndNonPointAuthorAreBadSignatureNotCrash() {
        Block zeroSig = TestBlocks.unsigned(List.of(), 0, alice().publicKey(), "alice", T, "hello");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(zeroSig));
        // An author key of all 0xff bytes is not a valid curve point encoding.
        Block junkAuthor = TestBlocks.unsigned(List.of(), 0, "f".repeat(64), "alice", T, "hello");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(junkAuthor));
    }

    // ---- WRONG_HEIGHT -------------------------------------------------------------------------

    @Test
    void genesisWithNonZeroHeightIsWrongHeight() {
        Block block = signed(alice(), List.of(), 1, "alice", T, "hello");
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyContent(block));
    }

    @Test
    void childWithHeightZeroIsWrongHeight() {
        Block block = signed(alice(), List.of(P1), 0, "alice", T, "hello");
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyContent(block));
    }

    @Test
    void heightNotOnePlusHighestParentIsWrongHeight() {
        Block block = signed(alice(), List.of(P1, P2), 3, "alice", T, "hello");
        assertDoesNotThrow(() -> verifier.verifyContent(block));
        assertDoesNotThrow(() -> verifier.verifyHeight(block, Map.of(P1, 2L, P2, 0L)));
        // Too low: the highest parent is at 5.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 1L, P2, 5L)));
        // Too high: the highest parent is at 1.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 1L, P2, 0L)));
        // Equal to the highest parent.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 3L, P2, 3L)));
    }

    @Test
    void genesisWithHeightIsWrongHeightInVerifyHeightToo() {
        Block block = signed(alice(), List.of(), 2, "alice", T, "hello");
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of()));
    }

    // ---- UNKNOWN_PARENT -----------------------------------------------------------------------

    @Test
    void missingParentIsUnknownParent() {
        Block block = signed(alice(), List.of(P1, P2, P3), 4, "alice", T, "hello");
        BlockRejectedException e = assertRejected(RejectReason.UNKNOWN_PARENT,
                () -> verifier.verifyHeight(block, Map.of(P1, 3L, P3, 1L)));
        assertTrue(e.getMessage().contains(P2), e.getMessage());
        assertRejected(RejectReason.UNKNOWN_PARENT, () -> verifier.verifyHeight(block, Map.of()));
    }

    // ---- FUTURE_TIMESTAMP ---------------------------------------------------------------------

    @Test
    void timestampExactlyAtSkewLimitIsAcceptedOneMillisecondMoreIsRefused() {
        Duration skew = Duration.ofSeconds(30);
        Limits limits = new Limits(1000, 100, 8, skew);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BlockVerifier v = new BlockVerifier(TestBlocks.GROUP, limits, clock);

        Block atLimit = signed(alice(), List.of(), 0, "alice", NOW.plus(skew), "on the edge");
        assertDoesNotThrow(() -> v.verifyContent(atLimit));

        Block beyond = signed(alice(), List.of(), 0, "alice", NOW.plus(skew).plusMillis(1), "too early");
        assertRejected(RejectReason.FUTURE_TIMESTAMP, () -> v.verifyContent(beyond));

        Block farFuture = signed(alice(), List.of(), 0, "alice", NOW.plus(Duration.ofDays(365)), "way too early");
        assertRejected(RejectReason.FUTURE_TIMESTAMP, () -> v.verifyContent(farFuture));
    }

    @Test
    void zeroSkewAcceptsNowRefusesNextMillisecond() {
        BlockVerifier v = new BlockVerifier(TestBlocks.GROUP, new Limits(1000, 100, 8, Duration.ZERO), TestBlocks.CLOCK);
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(), 0, "alice", NOW, "now")));
        assertRejected(RejectReason.FUTURE_TIMESTAMP,
                () -> v.verifyContent(signed(alice(), List.of(), 0, "alice", NOW.plusMillis(1), "later")));
    }

    @Test
    void oldTimestampIsAccepted() {
        Block old = signed(alice(), List.of(), 0, "alice", Instant.ofEpochMilli(0), "from 1970");
        assertDoesNotThrow(() -> verifier.verifyContent(old));
    }

    // ---- FIELD_TOO_LONG -----------------------------------------------------------------------

    @Test
    void messageAtByteLimitPassesOneByteMoreIsTooLong() {
        BlockVerifier v = verifier(new Limits(10, 10, 8, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, "a".repeat(10))));
        assertRejected(RejectReason.FIELD_TOO_LONG,
                () -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, "a".repeat(11))));
    }

    @Test
    void messageLimitCountsUtf8BytesNotChars() {
        BlockVerifier v = verifier(new Limits(10, 10, 8, Duration.ofMinutes(5)));
        String euros = "\u20ac".repeat(4); // 4 chars, 12 bytes of UTF-8
        assertEquals(4, euros.length());
        assertEquals(12, euros.getBytes(StandardCharsets.UTF_8).length);
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, euros)));

        String emoji = "\ud83d\ude00".repeat(3); // 6 chars (3 surrogate pairs), 12 bytes
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, emoji)));

        String exactly10 = "\u20ac\u20ac\u20aca"; // 3*3 + 1 = 10 bytes
        assertEquals(10, exactly10.getBytes(StandardCharsets.UTF_8).length);
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, exactly10)));

        String twoEmoji = "\ud83d\ude00\ud83d\ude00ab"; // 4 + 4 + 2 = 10 bytes, valid surrogate pairs
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(), 0, "alice", T, twoEmoji)));
    }

    @Test
    void defaultMessageLimitIsEnforced() {
        int max = Limits.DEFAULT.maxMessageBytes();
        assertDoesNotThrow(() -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "x".repeat(max))));
        assertRejected(RejectReason.FIELD_TOO_LONG,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "x".repeat(max + 1))));
        // Under the limit in chars (max/2 + 1), over it in bytes (3 bytes each).
        String wide = "\u4e2d".repeat(max / 2 + 1);
        assertTrue(wide.length() < max);
        assertRejected(RejectReason.FIELD_TOO_LONG,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, wide)));
    }

    @Test
    void senderTooLongIsRefused() {
        BlockVerifier v = verifier(new Limits(100, 5, 8, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(), 0, "abcde", T, "hi")));
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verifyContent(signed(alice(), List.of(), 0, "abcdef", T, "hi")));
        // 2 chars, 6 bytes.
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verifyContent(signed(alice(), List.of(), 0, "\u20ac\u20ac", T, "hi")));
    }

    @Test
    void tooManyParentsIsRefused() {
        BlockVerifier v = verifier(new Limits(100, 100, 2, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> v.verifyContent(signed(alice(), List.of(P1, P2), 1, "alice", T, "two parents")));
        assertRejected(RejectReason.FIELD_TOO_LONG,
                () -> v.verifyContent(signed(alice(), List.of(P1, P2, P3), 1, "alice", T, "three parents")));
    }

    // ---- EMPTY_MESSAGE ------------------------------------------------------------------------

    @Test
    void emptyMessageIsRefused() {
        assertRejected(RejectReason.EMPTY_MESSAGE, () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "")));
    }

    @Test
    void whitespaceOnlyMessageIsRefused() {
        for (String blank : new String[] {" ", "   ", "\t", "\n", " \r\n\t "}) {
            assertRejected(RejectReason.EMPTY_MESSAGE,
                    () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, blank)));
        }
        assertDoesNotThrow(() -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "  x  ")));
    }

    // ---- MALFORMED ----------------------------------------------------------------------------

    @Test
    void loneSurrogateInMessageIsMalformed() {
        for (String bad : new String[] {"a\ud83d", "\ud83db", "a\ude00b", "\ude00\ud83d", "ok\ud83d\ud83d\ude00"}) {
            assertRejected(RejectReason.MALFORMED,
                    () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, bad)));
        }
    }

    @Test
    void loneSurrogateInSenderIsMalformed() {
        assertRejected(RejectReason.MALFORMED,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "al\udc00ice", T, "hello")));
    }

    @Test
    void nulCharacterIsMalformed() {
        assertRejected(RejectReason.MALFORMED,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "hel\u0000lo")));
        assertRejected(RejectReason.MALFORMED,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "ali\u0000ce", T, "hello")));
    }

    @Test
    void blankSenderIsMalformed() {
        assertRejected(RejectReason.MALFORMED, () -> verifier.verifyContent(signed(alice(), List.of(), 0, "", T, "hello")));
        assertRejected(RejectReason.MALFORMED, () -> verifier.verifyContent(signed(alice(), List.of(), 0, "  \t", T, "hello")));
    }

    @Test
    void rejectionMessageNamesTheRule() {
        BlockRejectedException e = assertThrows(BlockRejectedException.class,
                () -> verifier.verifyContent(signed(alice(), List.of(), 0, "alice", T, "")));
        assertTrue(e.getMessage().startsWith(RejectReason.EMPTY_MESSAGE.description()), e.getMessage());
    }
}
