package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.CLOCK;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Format 2 (DESIGN section 7): every kind round-trips and verifies, every change is caught, no encoding is ambiguous. */
class SignedBlockTest {
    private static final Block GENESIS = new BlockFactory(alice()).found("Friends", "alice", NOW.minusSeconds(60));
    private static final String GROUP = GENESIS.hash();
    private static final BlockVerifier VERIFIER = new BlockVerifier(GROUP, Limits.DEFAULT, CLOCK);
    private static final String KEY = bob().publicKey();
    private static final String OTHER = hashOf("other");

    /** One body of every kind. */
    static List<Body> bodies() {
        return List.of(
                new Body.Genesis("Friends", "alice"),
                new Body.Invite(InviteKey.generate().publicKey(), NOW.plusSeconds(86_400)),
                new Body.Revoke(hashOf("invite")),
                new Body.Admit(KEY, "bob", hashOf("invite"), "ab".repeat(64)),
                new Body.Remove(KEY),
                new Body.Role(KEY, Rank.ADMIN),
                new Body.Message("5a".repeat(16), "hello ☕ नमस्ते"));
    }

    private static Block write(Body body) {
        if (body instanceof Body.Genesis genesis) {
            return new BlockFactory(alice()).found(genesis.groupName(), genesis.founderName(), NOW.minusSeconds(60));
        }
        return new BlockFactory(alice()).write(GROUP, List.of(new OrderKey(NOW.minusSeconds(60).toEpochMilli(), 0, GROUP)),
                NOW.minusSeconds(1), body);
    }

    /** The block with {@code header} changed, re-signed by alice: only the change under test differs. */
    private static Block resigned(Block block, UnaryOperator<Header> change) {
        Header header = change.apply(block.header());
        String hash = header.hash();
        return new Block(header, block.body(), hash, alice().sign(Hex.decode(hash, 32, "hash")));
    }

    private static RejectReason reason(Block block) {
        return assertThrows(BlockRejectedException.class, () -> VERIFIER.verify(block)).reason();
    }

    @Test
    void everyKindRoundTripsThroughItsEncodingAndVerifies() {
        for (Body body : bodies()) {
            byte[] encoded = body.encode();
            assertEquals(body, Body.decode(body.kind(), encoded, Limits.DEFAULT), body.kind().wireName());
            assertArrayEquals(encoded, Body.decode(body.kind(), encoded, Limits.DEFAULT).encode());
            Block block = write(body);
            assertDoesNotThrow(() -> VERIFIER.verify(block), body.kind().wireName());
            assertEquals(body.kind(), block.kind());
        }
    }

    @Test
    void theGenesisHashIsTheGroupIdAndAnyOtherGenesisIsRefused() {
        assertEquals(GROUP, GENESIS.header().hash());
        Block another = new BlockFactory(bob()).found("Friends", "alice", NOW.minusSeconds(60));
        assertEquals(RejectReason.WRONG_GROUP, reason(another));
        assertEquals(RejectReason.MALFORMED, reason(resigned(GENESIS, h -> new Header(GROUP, h.parents(), 0, h.author(),
                h.timestamp(), h.kind(), h.bodyDigest()))));
    }

    @Test
    void aBlockOfAnotherGroupOrWithoutParentsIsRefused() {
        Block message = write(bodies().get(6));
        assertEquals(RejectReason.WRONG_GROUP, reason(resigned(message, h -> new Header(OTHER, h.parents(), h.height(),
                h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
        assertEquals(RejectReason.WRONG_GROUP, reason(resigned(message, h -> new Header("", h.parents(), h.height(),
                h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
        assertEquals(RejectReason.WRONG_HEIGHT, reason(resigned(message, h -> new Header(h.group(), List.of(), h.height(),
                h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
    }

    @Test
    void everyHeaderFieldIsCoveredByTheHash() {
        Block block = write(bodies().get(6));
        Header h = block.header();
        List<Header> changed = List.of(
                new Header(OTHER, h.parents(), h.height(), h.author(), h.timestamp(), h.kind(), h.bodyDigest()),
                new Header(h.group(), List.of(OTHER), h.height(), h.author(), h.timestamp(), h.kind(), h.bodyDigest()),
                new Header(h.group(), List.of(GROUP, OTHER), h.height(), h.author(), h.timestamp(), h.kind(), h.bodyDigest()),
                new Header(h.group(), h.parents(), h.height() + 1, h.author(), h.timestamp(), h.kind(), h.bodyDigest()),
                new Header(h.group(), h.parents(), h.height(), KEY, h.timestamp(), h.kind(), h.bodyDigest()),
                new Header(h.group(), h.parents(), h.height(), h.author(), h.timestamp().plusMillis(1), h.kind(), h.bodyDigest()),
                new Header(h.group(), h.parents(), h.height(), h.author(), h.timestamp(), Kind.REVOKE, h.bodyDigest()),
                new Header(h.group(), h.parents(), h.height(), h.author(), h.timestamp(), h.kind(), OTHER));
        Set<String> hashes = new HashSet<>(List.of(h.hash()));
        for (Header header : changed) {
            assertTrue(hashes.add(header.hash()), header.toString());
            // The changed header under the old hash and signature: refused, whatever the change.
            Body body = header.kind() == block.kind() ? block.body() : new Body.Revoke(OTHER);
            RejectReason reason = assertThrows(BlockRejectedException.class,
                    () -> VERIFIER.verify(new Block(header, body, block.hash(), block.signature()))).reason();
            assertTrue(Set.of(RejectReason.BAD_HASH, RejectReason.BODY_MISMATCH, RejectReason.WRONG_GROUP).contains(reason),
                    header + " -> " + reason);
        }
    }

    @Test
    void aBodyThatDoesNotMatchItsDigestIsRefused() {
        List<Body> bodies = bodies();
        List<Body> others = List.of(
                new Body.Genesis("Friends", "alice2"),
                new Body.Invite(InviteKey.generate().publicKey(), NOW.plusSeconds(86_400)),
                new Body.Revoke(OTHER),
                new Body.Admit(KEY, "bob", hashOf("invite"), "ac".repeat(64)),
                new Body.Remove(alice().publicKey()),
                new Body.Role(KEY, Rank.MEMBER),
                new Body.Message("5b".repeat(16), "hello ☕ नमस्ते"));
        for (int i = 1; i < bodies.size(); i++) {
            Block block = write(bodies.get(i));
            Block swapped = new Block(block.header(), others.get(i), block.hash(), block.signature());
            assertEquals(RejectReason.BODY_MISMATCH, reason(swapped), others.get(i).toString());
        }
    }

    @Test
    void theSameBodyBytesUnderAnotherKindHashDifferently() {
        Body.Remove remove = new Body.Remove(KEY);
        Block block = write(remove);
        Header asRevoke = new Header(block.header().group(), block.parents(), block.height(), block.author(),
                block.timestamp(), Kind.REVOKE, block.header().bodyDigest());
        assertArrayEquals(remove.encode(), new Body.Revoke(KEY).encode(), "same 32 bytes");
        assertNotEquals(block.hash(), asRevoke.hash(), "the kind is in the signed header");
    }

    @Test
    void textBoundariesAreUnambiguous() {
        assertNotEquals(new Body.Genesis("ab", "c").digest(), new Body.Genesis("a", "bc").digest());
        assertNotEquals(new Body.Admit(KEY, "ab", OTHER, "00".repeat(64)).digest(),
                new Body.Admit(KEY, "a", OTHER, "00".repeat(64)).digest());
    }

    @Test
    void onlyTheCanonicalBodyEncodingDecodes() {
        for (Body body : bodies()) {
            byte[] encoded = body.encode();
            String kind = body.kind().wireName();
            assertThrows(IllegalArgumentException.class,
                    () -> Body.decode(body.kind(), Arrays.copyOf(encoded, encoded.length + 1), Limits.DEFAULT), kind + " + 1 byte");
            assertThrows(IllegalArgumentException.class,
                    () -> Body.decode(body.kind(), Arrays.copyOf(encoded, encoded.length - 1), Limits.DEFAULT), kind + " - 1 byte");
        }
        byte[] badUtf8 = new Body.Message("00".repeat(16), "ab").encode();
        badUtf8[badUtf8.length - 1] = (byte) 0xC3;
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.MESSAGE, badUtf8, Limits.DEFAULT));
        byte[] huge = new Body.Message("00".repeat(16), "x").encode();
        huge[16] = 0x7f;
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.MESSAGE, huge, Limits.DEFAULT));
        byte[] role = new Body.Role(KEY, Rank.ADMIN).encode();
        role[32] = 9;
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.ROLE, role, Limits.DEFAULT));
    }

    @Test
    void randomBytesNeverDecodeToSomethingThatEncodesDifferently() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            byte[] bytes = new byte[random.nextInt(120)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 40) {
                bytes[kind == Kind.MESSAGE ? 16 : 0] = 0; // plausible lengths now and then
            }
            try {
                Body body = Body.decode(kind, bytes, Limits.DEFAULT);
                assertArrayEquals(bytes, body.encode(), "a decoded body re-encodes to the same bytes");
            } catch (IllegalArgumentException refused) {
                // Refusing is the common outcome for random bytes; only a decode that re-encodes differently is wrong.
            }
        }
    }

    @Test
    void emptyTextsAndOversizeFieldsAreRefused() {
        assertEquals(RejectReason.EMPTY_MESSAGE, reason(write(new Body.Message("00".repeat(16), " \u200b "))));
        assertEquals(RejectReason.MALFORMED, reason(write(new Body.Admit(KEY, " ", OTHER, "00".repeat(64)))));
        assertEquals(RejectReason.FIELD_TOO_LONG, reason(write(new Body.Message("00".repeat(16), "x".repeat(16_385)))));
        assertEquals(RejectReason.MALFORMED, reason(write(new Body.Message("00".repeat(16), "a\u0000b"))));
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            parents.add(hashOf("p" + i));
        }
        Block many = resigned(write(new Body.Remove(KEY)), h -> new Header(h.group(), parents, 1, h.author(),
                h.timestamp(), h.kind(), h.bodyDigest()));
        assertEquals(RejectReason.FIELD_TOO_LONG, reason(many));
        Block future = resigned(write(new Body.Remove(KEY)), h -> new Header(h.group(), h.parents(), h.height(),
                h.author(), NOW.plusSeconds(301), h.kind(), h.bodyDigest()));
        assertEquals(RejectReason.FUTURE_TIMESTAMP, reason(future));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        Block block = write(new Body.Remove(KEY));
        Block forged = new Block(block.header(), block.body(), block.hash(),
                bob().sign(Hex.decode(block.hash(), 32, "hash")));
        assertEquals(RejectReason.BAD_SIGNATURE, reason(forged));
    }

    @Test
    void anInviteProofBindsTheGroupTheInviteAndTheJoiner() {
        InviteKey invite = InviteKey.generate();
        String inviteHash = hashOf("invite");
        String proof = invite.prove(GROUP, inviteHash, KEY);
        assertTrue(InviteKey.verifyProof(invite.publicKey(), GROUP, inviteHash, KEY, proof));
        assertEquals(invite.publicKey(), InviteKey.fromSecret(invite.secret()).publicKey());
        assertTrue(!InviteKey.verifyProof(invite.publicKey(), OTHER, inviteHash, KEY, proof), "another group");
        assertTrue(!InviteKey.verifyProof(invite.publicKey(), GROUP, OTHER, KEY, proof), "another invite");
        assertTrue(!InviteKey.verifyProof(invite.publicKey(), GROUP, inviteHash, alice().publicKey(), proof), "another joiner");
        assertTrue(!InviteKey.verifyProof(InviteKey.generate().publicKey(), GROUP, inviteHash, KEY, proof), "another key");
        assertThrows(IllegalArgumentException.class, () -> InviteKey.fromSecret(new byte[31]));
    }

    @Test
    void aBodyMustMatchTheHeadersKind() {
        Block block = write(new Body.Remove(KEY));
        assertThrows(IllegalArgumentException.class,
                () -> new Block(block.header(), new Body.Revoke(KEY), block.hash(), block.signature()));
        assertEquals(Instant.class, block.timestamp().getClass());
    }
}
