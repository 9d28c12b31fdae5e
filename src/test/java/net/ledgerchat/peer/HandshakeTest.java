package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.Test;

/** Both sides of a link's handshake, and every way a peer can fail it. */
class HandshakeTest {
    private static final NodeIdentity ALICE = NodeIdentity.generate();
    private static final NodeIdentity BOB = NodeIdentity.generate();
    private static final NodeIdentity MALLORY = NodeIdentity.generate();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HEAD = "ab".repeat(32);

    private static Handshake side(NodeIdentity who, String group, Optional<String> pin) {
        return new Handshake(who, group, who == ALICE ? "Alice" : "Bob", pin, RANDOM);
    }

    private static FrameException.Reason refusedHello(Handshake receiver, JsonObject hello) {
        return assertThrows(FrameException.class, () -> receiver.receiveHello(new Frame(Handshake.HELLO, hello))).reason();
    }

    private static JsonObject with(Frame hello, String field, jakarta.json.JsonValue value) {
        return Json.createObjectBuilder(hello.body()).add(field, value).build();
    }

    @Test
    void twoHonestSidesAuthenticateEachOther() throws Exception {
        Handshake a = side(ALICE, "g", Optional.empty());
        Handshake b = side(BOB, "g", Optional.of(ALICE.publicKey()));
        Handshake.PeerHello seenByB = b.receiveHello(a.hello(List.of(HEAD)));
        Handshake.PeerHello seenByA = a.receiveHello(b.hello(List.of()));
        assertEquals(ALICE.publicKey(), seenByB.key());
        assertEquals(List.of(HEAD), seenByB.heads());
        assertEquals("Bob", seenByA.name());
        assertDoesNotThrow(() -> a.receiveProof(b.proof()));
        assertDoesNotThrow(() -> b.receiveProof(a.proof()));
    }

    @Test
    void refusesAnotherGroupVersionOrPinnedKeyAndItself() {
        Frame hello = side(ALICE, "g", Optional.empty()).hello(List.of());
        assertEquals(FrameException.Reason.WRONG_GROUP, refusedHello(side(BOB, "other", Optional.empty()), hello.body()));
        assertEquals(FrameException.Reason.BAD_VERSION,
                refusedHello(side(BOB, "g", Optional.empty()), with(hello, "version", Json.createValue(2))));
        assertEquals(FrameException.Reason.MALFORMED, refusedHello(side(BOB, "g", Optional.empty()),
                with(hello, "version", Json.createValue(new java.math.BigInteger("18446744073709551617")))));
        assertEquals(FrameException.Reason.KEY_REFUSED,
                refusedHello(side(BOB, "g", Optional.of(MALLORY.publicKey())), hello.body()));
        assertEquals(FrameException.Reason.KEY_REFUSED, refusedHello(side(ALICE, "g", Optional.empty()), hello.body()));
    }

    @Test
    void refusesMalformedHellos() {
        Frame hello = side(ALICE, "g", Optional.empty()).hello(List.of());
        Handshake bob = side(BOB, "g", Optional.empty());
        assertEquals(FrameException.Reason.MALFORMED, refusedHello(bob, with(hello, "key", Json.createValue("xyz"))));
        assertEquals(FrameException.Reason.MALFORMED, refusedHello(bob, with(hello, "challenge", Json.createValue(1))));
        assertEquals(FrameException.Reason.MALFORMED, refusedHello(bob, with(hello, "name", Json.createValue(" "))));
        assertEquals(FrameException.Reason.MALFORMED,
                refusedHello(bob, with(hello, "name", Json.createValue("n".repeat(257)))));
        assertEquals(FrameException.Reason.MALFORMED,
                refusedHello(bob, with(hello, "heads", Json.createArrayBuilder().add("not a hash").build())));
        var many = Json.createArrayBuilder();
        for (int i = 0; i <= Handshake.MAX_HEADS; i++) {
            many.add(HEAD);
        }
        assertEquals(FrameException.Reason.MALFORMED, refusedHello(bob, with(hello, "heads", many.build())));
        assertEquals(FrameException.Reason.MALFORMED,
                refusedHello(bob, Json.createObjectBuilder(hello.body()).remove("group").build()));
        assertEquals(FrameException.Reason.UNAUTHENTICATED, assertThrows(FrameException.class,
                () -> bob.receiveHello(new Frame("NEW_BLOCK", hello.body()))).reason());
    }

    @Test
    void aProofMustBeByTheClaimedKeyForThisLinksChallenge() throws Exception {
        // Mallory claims Alice's key but cannot sign as Alice.
        Handshake bob = side(BOB, "g", Optional.empty());
        Handshake alice = side(ALICE, "g", Optional.empty());
        Frame aliceHello = alice.hello(List.of());
        bob.receiveHello(aliceHello);
        alice.receiveHello(bob.hello(List.of()));
        Handshake mallory = new Handshake(MALLORY, "g", "Alice", Optional.empty(), RANDOM);
        mallory.receiveHello(bob.hello(List.of()));
        assertEquals(FrameException.Reason.UNAUTHENTICATED,
                assertThrows(FrameException.class, () -> bob.receiveProof(mallory.proof())).reason());

        // A real proof of Alice's, made for another link (another challenge), does not pass either.
        Handshake otherBob = side(BOB, "g", Optional.empty());
        Handshake otherAlice = side(ALICE, "g", Optional.empty());
        otherAlice.receiveHello(otherBob.hello(List.of()));
        assertEquals(FrameException.Reason.UNAUTHENTICATED,
                assertThrows(FrameException.class, () -> bob.receiveProof(otherAlice.proof())).reason());
        assertDoesNotThrow(() -> bob.receiveProof(alice.proof()));
    }
}
