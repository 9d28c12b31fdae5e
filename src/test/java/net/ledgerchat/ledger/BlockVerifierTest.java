package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.assertRejected;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.everyKind;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.header;
import static net.ledgerchat.ledger.TestBlocks.sign;
import static net.ledgerchat.ledger.TestBlocks.signed;
import static net.ledgerchat.ledger.TestBlocks.verifier;
import static net.ledgerchat.ledger.TestBlocks.verifierFor;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/**
 * Every rule {@link BlockVerifier} holds a block to on its own (DESIGN sections 2 and 7), each at its edge. The
 * blocks are built field by field ({@link TestBlocks}) and correctly signed, so each breaks exactly the rule named.
 */
class BlockVerifierTest {
    private static final Instant T = NOW.minusSeconds(60);
    private static final String P1 = hashOf("parent-1");
    private static final String P2 = hashOf("parent-2");
    private static final String P3 = hashOf("parent-3");

    private final BlockVerifier verifier = verifier();

    /** A message by alice on P1 at height 1: it passes every rule unless its text breaks one. */
    private static Block message(String text) {
        return signed(alice(), List.of(P1), 1, T, text);
    }

    /** A valid block of {@code body} (see {@link TestBlocks#write}), checked by the verifier of its group. */
    private static void verifyWritten(Body body) throws BlockRejectedException {
        Block block = TestBlocks.write(body);
        verifierFor(block).verify(block);
    }

    // ---- valid blocks -------------------------------------------------------------------------

    @Test
    void validGenesisFromFactoryPasses() {
        Block genesis = TestBlocks.genesis(alice(), T);
        assertTrue(genesis.isGenesis());
        assertEquals(0, genesis.height());
        BlockVerifier ofItsGroup = TestBlocks.verifierOf(genesis);
        assertEquals(genesis.hash(), ofItsGroup.groupId());
        assertDoesNotThrow(() -> ofItsGroup.verify(genesis));
        assertDoesNotThrow(() -> ofItsGroup.verifyHeight(genesis, Map.of()));
    }

    @Test
    void validChildFromFactoryPasses() {
        List<OrderKey> heads = List.of(new OrderKey(T.toEpochMilli(), 4, P1), new OrderKey(T.toEpochMilli(), 7, P2));
        Block child = new BlockFactory(alice()).write(GROUP, heads, T, TestBlocks.message("reply"));
        assertEquals(8, child.height());
        assertDoesNotThrow(() -> verifier.verify(child));
        assertDoesNotThrow(() -> verifier.verifyHeight(child, Map.of(P1, 4L, P2, 7L)));
    }

    @Test
    void everyKindFromTheFactoryPasses() {
        for (Body body : everyKind()) {
            assertDoesNotThrow(() -> verifyWritten(body), body.kind().wireName());
        }
    }

    // ---- copies of held blocks ------------------------------------------------------------------

    @Test
    void aCopyOfAHeldBlockIsADuplicateWhateverItsSignatureButNeverPastTheOtherRules() throws Exception {
        Block held = message("hello");
        Block badSignature = new Block(held.header(), held.body(), held.hash(), message("other").signature());
        assertTrue(verifier.verifyUnlessHeld(badSignature, held.hash()::equals), "known by hash: no signature check");
        assertFalse(verifier.verifyUnlessHeld(held, h -> false), "not held: fully checked, and it passes");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyUnlessHeld(badSignature, h -> false));
        // Another body or another header under the held hash is not a copy of it.
        Block otherBody = new Block(held.header(), TestBlocks.message("edited"), held.hash(), held.signature());
        assertRejected(RejectReason.BODY_MISMATCH, () -> verifier.verifyUnlessHeld(otherBody, held.hash()::equals));
        Header later = header(GROUP, held.parents(), 1, held.author(), T.plusMillis(1), held.body());
        Block otherHeader = new Block(later, held.body(), held.hash(), held.signature());
        assertRejected(RejectReason.BAD_HASH, () -> verifier.verifyUnlessHeld(otherHeader, held.hash()::equals));
    }

    // ---- the genesis and the group ------------------------------------------------------------

    @Test
    void theGenesisHashIsTheGroupIdAndAnyOtherGenesisIsWrongGroup() {
        Block genesis = TestBlocks.genesis(alice(), T);
        Block another = TestBlocks.genesis(bob(), T);
        assertRejected(RejectReason.WRONG_GROUP, () -> TestBlocks.verifierOf(genesis).verify(another));
        assertRejected(RejectReason.WRONG_GROUP, () -> verifier.verify(genesis));
    }

    @Test
    void aGenesisNamesNoGroupAndNoParentsAtHeightZero() {
        Body body = new Body.Genesis("group", "founder");
        String founder = alice().publicKey();
        for (Header bad : List.of(header(GROUP, List.of(), 0, founder, T, body), header("", List.of(P1), 0, founder, T, body),
                header("", List.of(), 1, founder, T, body))) {
            Block genesis = sign(alice(), bad, body);
            assertRejected(RejectReason.MALFORMED, () -> TestBlocks.verifierOf(genesis).verify(genesis));
        }
    }

    @Test
    void aBlockOfAnotherGroupIsWrongGroup() {
        String otherGroup = hashOf("another group");
        Body body = TestBlocks.message("hello");
        Block foreign = sign(alice(), header(otherGroup, List.of(P1), 1, alice().publicKey(), T, body), body);
        assertRejected(RejectReason.WRONG_GROUP, () -> verifier.verify(foreign));
        assertDoesNotThrow(() -> new BlockVerifier(otherGroup, Limits.DEFAULT, TestBlocks.CLOCK).verify(foreign));
        // Only the genesis names no group.
        Block groupless = sign(alice(), header("", List.of(P1), 1, alice().publicKey(), T, body), body);
        assertRejected(RejectReason.WRONG_GROUP, () -> verifier.verify(groupless));
    }

    @Test
    void theGroupIdIsExactlyLowerCaseHex() {
        // A group id that merely looks like GROUP would name another group: refused when the verifier is made.
        for (String bad : new String[] {GROUP.toUpperCase(), GROUP.substring(2), "", "group-under-test"}) {
            assertThrows(IllegalArgumentException.class, () -> new BlockVerifier(bad, Limits.DEFAULT, TestBlocks.CLOCK), bad);
        }
    }

    // ---- BODY_MISMATCH ------------------------------------------------------------------------

    @Test
    void aBodyThatDoesNotMatchItsDigestIsRefused() {
        List<Body> bodies = everyKind();
        // Each differs from everyKind()'s body of its kind in one field; the message only in its salt.
        List<Body> others = List.of(
                new Body.Genesis("Friends", "alice2"),
                new Body.Invite(InviteKey.generate().publicKey(), NOW.plusSeconds(86_400)),
                new Body.Revoke(hashOf("other")),
                new Body.Admit(bob().publicKey(), "bob", hashOf("invite"), "ac".repeat(64)),
                new Body.Remove(alice().publicKey()),
                new Body.Role(bob().publicKey(), Rank.MEMBER),
                new Body.Message("5b".repeat(16), ((Body.Message) bodies.get(6)).text()));
        for (int i = 0; i < bodies.size(); i++) {
            Block block = TestBlocks.write(bodies.get(i));
            Body other = others.get(i);
            assertEquals(block.kind(), other.kind());
            assertNotEquals(block.body(), other);
            Block swapped = new Block(block.header(), other, block.hash(), block.signature());
            assertRejected(RejectReason.BODY_MISMATCH, () -> verifierFor(block).verify(swapped));
        }
    }

    // ---- BAD_HASH -----------------------------------------------------------------------------

    @Test
    void hashNotMatchingContentsIsBadHash() {
        Block good = message("hello");
        // A well-formed hash, correctly signed by the author, that is just not the hash of the header.
        String otherHash = hashOf("something else");
        String signature = alice().sign(Hex.decode(otherHash, Block.HASH_BYTES, "hash"));
        Block forged = new Block(good.header(), good.body(), otherHash, signature);
        assertRejected(RejectReason.BAD_HASH, () -> verifier.verify(forged));
    }

    // ---- BAD_SIGNATURE ------------------------------------------------------------------------

    @Test
    void signedByAnotherKeyIsBadSignature() {
        Body body = TestBlocks.message("I am alice");
        Block impostor = sign(bob(), header(GROUP, List.of(P1), 1, alice().publicKey(), T, body), body);
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verify(impostor));
    }

    @Test
    void flippedSignatureByteIsBadSignature() {
        Block good = message("hello");
        byte[] signature = Hex.decode(good.signature(), Block.SIGNATURE_BYTES, "signature");
        for (int index : new int[] {0, 17, 31, 32, 50, 63}) {
            byte[] flipped = signature.clone();
            flipped[index] ^= 0x01;
            Block bad = new Block(good.header(), good.body(), good.hash(), Hex.encode(flipped));
            assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verify(bad));
        }
    }

    @Test
    void zeroSignatureAndNonPointAuthorAreBadSignatureNotCrash() {
        Block zeroSig = TestBlocks.unsigned(List.of(P1), 1, alice().publicKey(), T, "hello");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verify(zeroSig));
        // An author key of all 0xff bytes is not a valid curve point encoding.
        Block junkAuthor = TestBlocks.unsigned(List.of(P1), 1, "f".repeat(64), T, "hello");
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verify(junkAuthor));
    }

    // ---- WRONG_HEIGHT -------------------------------------------------------------------------

    @Test
    void aBlockAfterTheGenesisWithoutParentsIsWrongHeight() {
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verify(signed(alice(), List.of(), 0, T, "hello")));
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verify(signed(alice(), List.of(), 1, T, "hello")));
    }

    @Test
    void childWithHeightZeroIsWrongHeight() {
        Block block = signed(alice(), List.of(P1), 0, T, "hello");
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verify(block));
    }

    @Test
    void heightNotOnePlusHighestParentIsWrongHeight() {
        Block block = signed(alice(), List.of(P1, P2), 3, T, "hello");
        assertDoesNotThrow(() -> verifier.verify(block));
        assertDoesNotThrow(() -> verifier.verifyHeight(block, Map.of(P1, 2L, P2, 0L)));
        // Too low: the highest parent is at 5.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 1L, P2, 5L)));
        // Too high: the highest parent is at 1.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 1L, P2, 0L)));
        // Equal to the highest parent.
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(block, Map.of(P1, 3L, P2, 3L)));
    }

    @Test
    void aBlockWithoutParentsAboveHeightZeroFailsVerifyHeightToo() {
        // verifyHeight stands on its own: it does not rely on verify having refused the shape first.
        Body body = new Body.Genesis("group", "founder");
        Block genesis = sign(alice(), header("", List.of(), 2, alice().publicKey(), T, body), body);
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(genesis, Map.of()));
    }

    // ---- UNKNOWN_PARENT -----------------------------------------------------------------------

    @Test
    void missingParentIsUnknownParent() {
        Block block = signed(alice(), List.of(P1, P2, P3), 4, T, "hello");
        BlockRejectedException e = assertRejected(RejectReason.UNKNOWN_PARENT,
                () -> verifier.verifyHeight(block, Map.of(P1, 3L, P3, 1L)));
        assertTrue(e.getMessage().contains(P2), e.getMessage());
        assertRejected(RejectReason.UNKNOWN_PARENT, () -> verifier.verifyHeight(block, Map.of()));
    }

    // ---- FUTURE_TIMESTAMP ---------------------------------------------------------------------

    @Test
    void timestampExactlyAtSkewLimitIsAcceptedOneMillisecondMoreIsRefused() {
        Duration skew = Duration.ofSeconds(30);
        BlockVerifier v = new BlockVerifier(GROUP, new Limits(1000, 100, 8, skew), Clock.fixed(NOW, ZoneOffset.UTC));
        assertDoesNotThrow(() -> v.verify(signed(alice(), List.of(P1), 1, NOW.plus(skew), "on the edge")));
        assertRejected(RejectReason.FUTURE_TIMESTAMP,
                () -> v.verify(signed(alice(), List.of(P1), 1, NOW.plus(skew).plusMillis(1), "too early")));
        assertRejected(RejectReason.FUTURE_TIMESTAMP,
                () -> v.verify(signed(alice(), List.of(P1), 1, NOW.plus(Duration.ofDays(365)), "way too early")));
    }

    @Test
    void zeroSkewAcceptsNowRefusesNextMillisecond() {
        BlockVerifier v = new BlockVerifier(GROUP, new Limits(1000, 100, 8, Duration.ZERO), TestBlocks.CLOCK);
        assertDoesNotThrow(() -> v.verify(signed(alice(), List.of(P1), 1, NOW, "now")));
        assertRejected(RejectReason.FUTURE_TIMESTAMP, () -> v.verify(signed(alice(), List.of(P1), 1, NOW.plusMillis(1), "later")));
    }

    @Test
    void aGenesisFromTheFutureIsRefusedToo() {
        Block genesis = TestBlocks.genesis(alice(), NOW.plus(Limits.DEFAULT.maxClockSkew()).plusMillis(1));
        assertRejected(RejectReason.FUTURE_TIMESTAMP, () -> TestBlocks.verifierOf(genesis).verify(genesis));
    }

    @Test
    void oldTimestampIsAccepted() {
        assertDoesNotThrow(() -> verifier.verify(signed(alice(), List.of(P1), 1, Instant.EPOCH, "from 1970")));
    }

    // ---- FIELD_TOO_LONG -----------------------------------------------------------------------

    @Test
    void messageAtByteLimitPassesOneByteMoreIsTooLong() {
        BlockVerifier v = TestBlocks.verifier(new Limits(10, 10, 8, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> v.verify(message("a".repeat(10))));
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verify(message("a".repeat(11))));
    }

    @Test
    void messageLimitCountsUtf8BytesNotChars() {
        BlockVerifier v = TestBlocks.verifier(new Limits(10, 10, 8, Duration.ofMinutes(5)));
        String euros = "\u20ac".repeat(4); // 4 chars, 12 bytes of UTF-8
        assertEquals(4, euros.length());
        assertEquals(12, euros.getBytes(StandardCharsets.UTF_8).length);
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verify(message(euros)));

        String emoji = "\ud83d\ude00".repeat(3); // 6 chars (3 surrogate pairs), 12 bytes
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verify(message(emoji)));

        String exactly10 = "\u20ac\u20ac\u20aca"; // 3*3 + 1 = 10 bytes
        assertEquals(10, exactly10.getBytes(StandardCharsets.UTF_8).length);
        assertDoesNotThrow(() -> v.verify(message(exactly10)));

        String twoEmoji = "\ud83d\ude00\ud83d\ude00ab"; // 4 + 4 + 2 = 10 bytes, valid surrogate pairs
        assertDoesNotThrow(() -> v.verify(message(twoEmoji)));
    }

    @Test
    void defaultMessageLimitIsEnforced() {
        int max = Limits.DEFAULT.maxMessageBytes();
        assertDoesNotThrow(() -> verifier.verify(message("x".repeat(max))));
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> verifier.verify(message("x".repeat(max + 1))));
        // Under the limit in chars (max/2 + 1), over it in bytes (3 bytes each).
        String wide = "\u4e2d".repeat(max / 2 + 1);
        assertTrue(wide.length() < max);
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> verifier.verify(message(wide)));
    }

    /** The names a block shows (group, founder, joiner) keep to the name limit, in UTF-8 bytes. */
    @Test
    void namesLongerThanTheLimitAreRefused() {
        int max = Limits.DEFAULT.maxSenderBytes();
        String atLimit = "n".repeat(max);
        String over = "n".repeat(max + 1);
        String overInBytes = "\u20ac".repeat(max / 3 + 1); // fewer chars than the limit, more bytes
        assertTrue(overInBytes.length() < max);
        for (String name : List.of(atLimit, over, overInBytes)) {
            for (Body body : namedBodies(name)) {
                if (name.equals(atLimit)) {
                    assertDoesNotThrow(() -> verifyWritten(body), body.toString());
                } else {
                    assertRejected(RejectReason.FIELD_TOO_LONG, () -> verifyWritten(body));
                }
            }
        }
    }

    /** Every body that carries a name, with {@code name} in each name field in turn. */
    private static List<Body> namedBodies(String name) {
        return List.of(new Body.Genesis(name, "founder"), new Body.Genesis("group", name),
                new Body.Admit(bob().publicKey(), name, hashOf("invite"), "ab".repeat(64)));
    }

    @Test
    void tooManyParentsIsRefused() {
        BlockVerifier v = TestBlocks.verifier(new Limits(100, 100, 2, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> v.verify(signed(alice(), List.of(P1, P2), 1, T, "two parents")));
        assertRejected(RejectReason.FIELD_TOO_LONG, () -> v.verify(signed(alice(), List.of(P1, P2, P3), 1, T, "three parents")));
    }

    // ---- EMPTY_MESSAGE ------------------------------------------------------------------------

    @Test
    void emptyMessageIsRefused() {
        assertRejected(RejectReason.EMPTY_MESSAGE, () -> verifier.verify(message("")));
    }

    @Test
    void whitespaceOnlyMessageIsRefused() {
        for (String blank : new String[] {" ", "   ", "\t", "\n", " \r\n\t ", " \u200b "}) {
            assertRejected(RejectReason.EMPTY_MESSAGE, () -> verifier.verify(message(blank)));
        }
        assertDoesNotThrow(() -> verifier.verify(message("  x  ")));
    }

    // ---- MALFORMED ----------------------------------------------------------------------------

    @Test
    void loneSurrogateInMessageIsMalformed() {
        for (String bad : new String[] {"a\ud83d", "\ud83db", "a\ude00b", "\ude00\ud83d", "ok\ud83d\ud83d\ude00"}) {
            assertRejected(RejectReason.MALFORMED, () -> verifier.verify(message(bad)));
        }
    }

    @Test
    void loneSurrogateInANameIsMalformed() {
        for (Body body : namedBodies("al\udc00ice")) {
            assertRejected(RejectReason.MALFORMED, () -> verifyWritten(body));
        }
    }

    @Test
    void nulCharacterIsMalformed() {
        assertRejected(RejectReason.MALFORMED, () -> verifier.verify(message("hel\u0000lo")));
        for (Body body : namedBodies("ali\u0000ce")) {
            assertRejected(RejectReason.MALFORMED, () -> verifyWritten(body));
        }
    }

    @Test
    void blankNamesAreMalformed() {
        for (String blank : new String[] {"", "  \t", "\u00a0\u200b"}) {
            for (Body body : namedBodies(blank)) {
                assertRejected(RejectReason.MALFORMED, () -> verifyWritten(body));
            }
        }
    }

    @Test
    void rejectionMessageNamesTheRule() {
        BlockRejectedException e = assertThrows(BlockRejectedException.class, () -> verifier.verify(message("")));
        assertTrue(e.getMessage().startsWith(RejectReason.EMPTY_MESSAGE.description()), e.getMessage());
    }
}
