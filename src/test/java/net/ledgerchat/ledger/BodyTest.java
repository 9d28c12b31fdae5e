package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.SALT;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.everyKind;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each kind's body: its canonical encoding (the bytes the header's digest binds) and nothing else decodes. */
class BodyTest {
    private static final String KEY = bob().publicKey();
    private static final String OTHER = hashOf("other");

    @Test
    void theTestBodiesCoverEveryKind() {
        // Every "for every kind" test loops over everyKind(): a new kind must be added there to be tested.
        assertEquals(EnumSet.allOf(Kind.class), everyKind().stream().map(Body::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class))));
    }

    @Test
    void everyKindRoundTripsThroughItsEncoding() {
        for (Body body : everyKind()) {
            byte[] encoded = body.encode();
            Body decoded = Body.decode(body.kind(), encoded, Limits.DEFAULT);
            assertEquals(body, decoded, body.kind().wireName());
            assertArrayEquals(encoded, decoded.encode(), body.kind().wireName());
            assertEquals(Hex.encode(BlockEncoding.sha256().digest(encoded)), body.digest(), body.kind().wireName());
        }
    }

    /** Written here independently of CanonicalWriter: a change to a signed layout must fail this. */
    @Test
    void everyBodyIsItsDocumentedLayout() throws IOException {
        for (Body body : everyKind()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            if (body instanceof Body.Genesis g) {
                text(out, g.groupName());
                text(out, g.founderName());
            } else if (body instanceof Body.Invite i) {
                out.write(Hex.decode(i.inviteKey(), 32, "key"));
                out.writeLong(i.expires().toEpochMilli());
            } else if (body instanceof Body.Revoke r) {
                out.write(Hex.decode(r.invite(), 32, "invite"));
            } else if (body instanceof Body.Admit a) {
                out.write(Hex.decode(a.joiner(), 32, "joiner"));
                text(out, a.name());
                out.write(Hex.decode(a.invite(), 32, "invite"));
                out.write(Hex.decode(a.proof(), 64, "proof"));
            } else if (body instanceof Body.Remove r) {
                out.write(Hex.decode(r.member(), 32, "member"));
            } else if (body instanceof Body.Role r) {
                out.write(Hex.decode(r.member(), 32, "member"));
                out.writeByte(r.rank().code());
            } else if (body instanceof Body.Message m) {
                // The salt first: a short text cannot be confirmed by hashing guesses against the digest.
                out.write(Hex.decode(m.salt(), 16, "salt"));
                text(out, m.text());
            } else {
                throw new AssertionError("no documented layout for " + body.kind());
            }
            out.flush();
            assertArrayEquals(bytes.toByteArray(), body.encode(), body.kind().wireName());
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    @Test
    void textBoundariesAreUnambiguous() {
        assertNotEquals(new Body.Genesis("ab", "c").digest(), new Body.Genesis("a", "bc").digest());
        assertNotEquals(new Body.Genesis("abc", "").digest(), new Body.Genesis("", "abc").digest());
        assertNotEquals(new Body.Admit(KEY, "ab", OTHER, "00".repeat(64)).digest(),
                new Body.Admit(KEY, "a", OTHER, "00".repeat(64)).digest());
    }

    @Test
    void theSaltChangesTheDigestOfTheSameText() {
        assertNotEquals(message("yes").digest(), new Body.Message("5b".repeat(16), "yes").digest());
    }

    @Test
    void onlyTheCanonicalBodyEncodingDecodes() {
        for (Body body : everyKind()) {
            byte[] encoded = body.encode();
            String kind = body.kind().wireName();
            assertThrows(IllegalArgumentException.class,
                    () -> Body.decode(body.kind(), Arrays.copyOf(encoded, encoded.length + 1), Limits.DEFAULT), kind + " + 1 byte");
            assertThrows(IllegalArgumentException.class,
                    () -> Body.decode(body.kind(), Arrays.copyOf(encoded, encoded.length - 1), Limits.DEFAULT), kind + " - 1 byte");
        }
        byte[] badUtf8 = new Body.Message(SALT, "ab").encode();
        badUtf8[badUtf8.length - 1] = (byte) 0xC3;
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.MESSAGE, badUtf8, Limits.DEFAULT));
        byte[] huge = new Body.Message(SALT, "x").encode();
        huge[Body.SALT_BYTES] = 0x7f; // the length prefix now claims about 2 GB
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.MESSAGE, huge, Limits.DEFAULT));
        byte[] role = new Body.Role(KEY, Rank.ADMIN).encode();
        role[32] = 9;
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.ROLE, role, Limits.DEFAULT));
    }

    /** Decoding allocates no more than the limits allow: a peer cannot make this node read a huge text. */
    @Test
    void decodingBoundsEveryTextByTheLimits() {
        Limits limits = new Limits(10, 5, 8, Duration.ofMinutes(5));
        assertDoesNotThrow(() -> Body.decode(Kind.MESSAGE, message("x".repeat(10)).encode(), limits));
        assertThrows(IllegalArgumentException.class, () -> Body.decode(Kind.MESSAGE, message("x".repeat(11)).encode(), limits));
        assertDoesNotThrow(() -> Body.decode(Kind.GENESIS, new Body.Genesis("12345", "abcde").encode(), limits));
        assertThrows(IllegalArgumentException.class,
                () -> Body.decode(Kind.GENESIS, new Body.Genesis("123456", "abcde").encode(), limits));
        assertThrows(IllegalArgumentException.class,
                () -> Body.decode(Kind.GENESIS, new Body.Genesis("12345", "abcdef").encode(), limits));
        assertThrows(IllegalArgumentException.class,
                () -> Body.decode(Kind.ADMIT, new Body.Admit(KEY, "abcdef", OTHER, "00".repeat(64)).encode(), limits));
    }

    @Test
    void randomBytesNeverDecodeToSomethingThatEncodesDifferently() {
        Random random = new Random(7);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            byte[] bytes = new byte[random.nextInt(120)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 40) {
                bytes[kind == Kind.MESSAGE ? Body.SALT_BYTES : 0] = 0; // plausible lengths now and then
            }
            try {
                Body body = Body.decode(kind, bytes, Limits.DEFAULT);
                assertArrayEquals(bytes, body.encode(), "a decoded body re-encodes to the same bytes");
                decoded++;
            } catch (IllegalArgumentException refused) {
                // Refusing is the common outcome for random bytes; only a decode that re-encodes differently is wrong.
            }
        }
        // Fixed-size kinds (revoke, remove) decode from any 32 bytes: the loop must have compared some re-encodings.
        assertNotEquals(0, decoded);
    }

    @Test
    void eachRecordChecksItsFields() {
        assertThrows(IllegalArgumentException.class, () -> new Body.Message("5a".repeat(15), "short salt"));
        assertThrows(IllegalArgumentException.class, () -> new Body.Message("5a".repeat(17), "long salt"));
        assertThrows(IllegalArgumentException.class, () -> new Body.Remove(OTHER + "00"));
        assertThrows(IllegalArgumentException.class, () -> new Body.Revoke("ZZ".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new Body.Admit(KEY, "bob", OTHER, "00".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new Body.Invite(KEY, NOW.plusNanos(1)));
        assertThrows(NullPointerException.class, () -> new Body.Message(SALT, null));
        assertThrows(NullPointerException.class, () -> new Body.Genesis(null, "founder"));
        assertThrows(NullPointerException.class, () -> new Body.Genesis("group", null));
        assertThrows(NullPointerException.class, () -> new Body.Admit(KEY, null, OTHER, "00".repeat(64)));
        assertThrows(NullPointerException.class, () -> new Body.Role(KEY, null));
    }
}
