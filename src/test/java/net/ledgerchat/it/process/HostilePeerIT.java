package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.peer.BlockCodec;
import net.ledgerchat.peer.Frame;
import net.ledgerchat.peer.Handshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The peers issue's hostile peer against a real node: A and B are uber-jar processes linked to each other;
 * a raw peer throws every attack at A's peer port, over TLS under a key of its own (behind TLS) or over plain TCP
 * (in front of it, where the node must neither answer in plaintext nor wait past its handshake deadline). Each attack must get an ERROR frame naming its reason
 * (where the protocol has one) and a closed connection, must leave A's ledger exactly as it was, must be
 * logged by A with its reason, and must not cost B its link: B and A still exchange messages, also while
 * idle sockets hold every free slot. A takes MAX_CLIENTS=3 so a flood of 20 sockets goes past it; a socket
 * trickling bytes without a newline is closed at the handshake deadline like a silent one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HostilePeerIT {
    private static final int MAX_CLIENTS = 3;
    private static final int FLOOD = 20;
    /** PeerService's HANDSHAKE_TIMEOUT: a connection that has not proved its key by then is closed. */
    private static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(5);
    /** Scheduling slack on two shared cores. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    /** How long the node may take to answer one frame, or to hang up after its ERROR. */
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private final NodeIdentity attacker = NodeIdentity.generate();
    private final AtomicInteger attackers = new AtomicInteger();
    private LinkedPair nodes;
    private String group;
    private Forgeries forge;

    /** A and B, and the attacker a member, admitted through A with an invite A made: every block it sends is judged for itself. */
    @BeforeAll
    void startTwoLinkedNodes() throws Exception {
        nodes = LinkedPair.start("hostile-peer", MAX_CLIENTS);
        group = nodes.group();
        RawPeer.joinAs(attacker, "attacker", nodes.peerPortOfA(), Group.invite(nodes.a()), group, ANSWER);
        forge = new Forgeries(group, attacker, () -> LedgerView.headKeys(nodes.a()));
    }

    @AfterAll
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    // ------------------------------------------------------------------ the control: the raw peer is a real peer

    @Test
    @Order(1)
    void anHonestBlockFromTheRawPeerIsStoredAndGossipedSoTheHarnessCanSeeAStore() throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = authenticated()) {
            Block honest = forge.honest("an honest block over a raw socket");
            peer.send(newBlock(BlockCodec.toJson(honest)));
            LinkedPair.awaitStored(nodes.a(), honest.hash());
            LinkedPair.awaitStored(nodes.b(), honest.hash());
            // Both halves of the check every attack ends with see a stored block: the ledger's count and heads
            // change, and the hash is found.
            assertNotEquals(before, nodes.ledgerOfA());
            LinkedPair.Ledger now = nodes.ledgerOfA();
            assertThrows(AssertionError.class, () -> nodes.assertNothingStored(now, honest.hash()));
        }
    }

    // ------------------------------------------------------------------ before the handshake

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("plain text", bytes("hello there"), "MALFORMED", "no TYPE: prefix"),
                Arguments.of("an HTTP request", bytes("GET / HTTP/1.1"), "MALFORMED", "no TYPE: prefix"),
                Arguments.of("a lower-case type", bytes("hello:{}"), "MALFORMED", "not a frame type"),
                Arguments.of("broken JSON", bytes("HELLO:{\"version\":"), "MALFORMED", "the body is not valid JSON"),
                Arguments.of("an unknown type", bytes("DROP_TABLES:{}"), "UNKNOWN_TYPE", "DROP_TABLES"),
                Arguments.of("data before the handshake", bytes("NEW_BLOCK:{\"block\":{}}"), "UNAUTHENTICATED",
                        "expected HELLO first, got NEW_BLOCK"),
                Arguments.of("a 0xFF byte", new byte[] {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xFF, '"', ':', '1',
                        '}', '\n'}, "INVALID_UTF8", "the frame is not valid UTF-8"),
                Arguments.of("an overlong '/'", new byte[] {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xC0,
                        (byte) 0xAF, '"', ':', '1', '}', '\n'}, "INVALID_UTF8", "the frame is not valid UTF-8"),
                Arguments.of("an encoded surrogate", new byte[] {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xED,
                        (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}', '\n'}, "INVALID_UTF8", "the frame is not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    @Order(2)
    void garbageBeforeTheHandshakeIsRefused(String what, byte[] line, String reason, String detail) throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER)) {
            assertTrue(peer.readLine().startsWith("HELLO:"), "the node speaks first");
            peer.send(line);
            assertRefused(peer, reason, reason + ": " + detail);
        }
        nodes.assertNothingStored(before);
    }

    @Test
    @Order(3)
    void aFiveMegabyteLineWithoutNewlineIsCutOffAtTheFrameLimit() throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER)) {
            AtomicReference<UncheckedIOException> writeEnd = new AtomicReference<>();
            AtomicInteger written = new AtomicInteger();
            Thread flood = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                try {
                    for (int i = 0; i < 80; i++) {
                        peer.send(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (UncheckedIOException e) {
                    // The node hung up mid-line, as it should; kept for the failure message.
                    writeEnd.set(e);
                }
            }, "five-megabyte-line");
            flood.start();
            Supplier<String> state = () -> "wrote " + written + " bytes; the writer ended with "
                    + writeEnd.get();
            assertEquals("OVERSIZE", peer.awaitErrorReason(), state);
            peer.awaitClosed(ANSWER);
            nodes.assertLoggedByA("Refused a frame from " + peer.nodeSideName() + ": ",
                    "OVERSIZE: a frame longer than 1048576 bytes");
            nodes.assertLoggedByA("Closing link " + peer.nodeSideName() + ": ", "OVERSIZE");
            flood.join(ANSWER.toMillis());
            assertFalse(flood.isAlive(), () -> "the writer is stuck: " + state.get());
        }
        nodes.assertNothingStored(before);
    }

    @Test
    @Order(4)
    void aHelloForAnotherGroupIsRefused() throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER)) {
            Handshake stranger = new Handshake(attacker, "another-group", "stranger", Optional.empty(),
                    new SecureRandom());
            peer.send(stranger.hello(List.of()));
            assertRefused(peer, "WRONG_GROUP", "WRONG_GROUP: group 'another-group' is not this node's");
        }
        nodes.assertNothingStored(before);
    }

    // ------------------------------------------------------------------ in front of TLS

    static Stream<Arguments> plaintext() {
        return Stream.of(
                Arguments.of("a plaintext HELLO", new Handshake(NodeIdentity.generate(), "00".repeat(32), "plain", Optional.empty(),
                        new SecureRandom()).hello(List.of()).encode()),
                Arguments.of("an HTTP request", bytes("GET / HTTP/1.1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plaintext")
    @Order(5)
    void plaintextToThePeerPortIsRefusedWithoutAPlaintextWord(String what, byte[] bytes) throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = RawPeer.connectPlain(nodes.peerPortOfA(), ANSWER)) {
            peer.send(bytes);
            assertNoPlaintext(peer.awaitClosed(ANSWER));
            nodes.assertLoggedByA("Closing link " + peer.nodeSideName() + ": ", "TLS handshake failed");
        }
        nodes.assertNothingStored(before);
    }

    @Test
    @Order(6)
    void aTcpConnectionThatNeverStartsTlsIsClosedAtTheHandshakeDeadline() throws Exception {
        try (RawPeer silent = RawPeer.connectPlain(nodes.peerPortOfA(), ANSWER)) {
            // At most a TLS alert record: never a protocol word.
            assertNoPlaintext(silent.awaitClosed(HANDSHAKE_DEADLINE.plus(SLACK)));
            nodes.assertLoggedByA("Closing link " + silent.nodeSideName() + ": ", "no handshake within "
                    + HANDSHAKE_DEADLINE.toSeconds() + " s");
        }
    }

    @Test
    @Order(7)
    void aHelloClaimingAnotherKeyThanTheOneTlsProvedIsRefused() throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER)) {
            // TLS under a fresh key; HELLO under the attacker's, whose proof the attacker could sign too.
            Handshake impostor = new Handshake(attacker, group, "impostor", Optional.empty(), new SecureRandom());
            peer.send(impostor.hello(List.of()));
            assertRefused(peer, "KEY_REFUSED", "HELLO claims key " + attacker.publicKey()
                    + ", the TLS link was authenticated by key ");
        }
        nodes.assertNothingStored(before);
    }

    // ------------------------------------------------------------------ after a real handshake

    @Test
    @Order(10)
    void aBlockWithABadSignatureIsRefused() throws Exception {
        Forgeries.Forged forged = forge.badSignature("a forged signature");
        refuseBlock(newBlock(forged.json()), "REJECTED_BLOCK", "signature does not verify: block " + forged.hash(), forged.hash());
    }

    @Test
    @Order(11)
    void aBlockWhoseHashDoesNotMatchItsFieldsIsRefused() throws Exception {
        Forgeries.Forged forged = forge.badHash("a block edited after signing");
        refuseBlock(newBlock(forged.json()), "REJECTED_BLOCK", "hash does not match the block's contents: claimed " + forged.hash(),
                forged.hash());
    }

    @Test
    @Order(12)
    void aBlockNamingTenThousandUnknownParentsIsRefusedAsMalformed() throws Exception {
        Forgeries.Forged forged = forge.tenThousandUnknownParents("ten thousand parents");
        refuseBlock(newBlock(forged.json()), "MALFORMED", "MALFORMED: malformed block: a block names 10000 parents; at most 64",
                forged.hash());
    }

    @Test
    @Order(13)
    void anUnsolicitedSyncResponseFullOfForgedBlocksIsRefused() throws Exception {
        String keyOfA = LinkedPair.keyOf(nodes.a());
        String keyOfB = LinkedPair.keyOf(nodes.b());
        List<Forgeries.Forged> forged = List.of(forge.impersonating(keyOfA, "A never wrote this"),
                forge.impersonating(keyOfB, "B never wrote this"), forge.badHash("edited"),
                forge.badSignature("forged"));
        var blocks = Json.createArrayBuilder();
        forged.forEach(f -> blocks.add(f.json()));
        Frame response = new Frame("SYNC_RESPONSE", Json.createObjectBuilder().add("blocks", blocks).add("more", false)
                .build());
        refuseBlock(response, "REJECTED_BLOCK", "signature does not verify: block " + forged.get(0).hash() + " by " + keyOfA,
                forged.stream().map(Forgeries.Forged::hash).toArray(String[]::new));
    }

    // ------------------------------------------------------------------ holding slots

    @Test
    @Order(20)
    void aFloodOfIdleConnectionsIsShedWhileTheRealPeerIsServed() throws Exception {
        long linkUps = nodes.linkUpsWithB();
        assertTrue(linkUps >= 1, "A never logged its link with B");
        ExecutorService watchers = Executors.newFixedThreadPool(FLOOD, named("idle-socket-watch"));
        List<RawPeer> idle = new ArrayList<>();
        try {
            List<Future<String>> received = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER);
                idle.add(peer);
                received.add(watchers.submit(() -> peer.awaitClosed(HANDSHAKE_DEADLINE.plus(SLACK))));
            }
            // While the accepted idle sockets sit on every free slot, the real link carries both ways.
            nodes.exchangeMessages("during the flood");
            assertEquals(linkUps, nodes.linkUpsWithB(), "the flood cost B its link to A (A linked with B again)");
            int accepted = 0;
            for (int i = 0; i < FLOOD; i++) {
                RawPeer peer = idle.get(i);
                String said = received.get(i).get(HANDSHAKE_DEADLINE.plus(SLACK).plus(ANSWER).toMillis(),
                        TimeUnit.MILLISECONDS);
                if (said.startsWith("ERROR:")) {
                    assertEquals("ERROR:{\"reason\":\"TOO_MANY_PEERS\",\"detail\":\"MAX_CLIENTS is " + MAX_CLIENTS
                            + "\"}\n", said, "a socket past MAX_CLIENTS hears why, and nothing else");
                    nodes.assertLoggedByA("Refused " + peer.nodeSideName() + ": ", "MAX_CLIENTS is " + MAX_CLIENTS);
                } else {
                    accepted++;
                    assertTrue(said.startsWith("HELLO:") && said.indexOf('\n') == said.length() - 1,
                            "an idle socket hears the node's HELLO and nothing else: " + said);
                    nodes.assertLoggedByA("Closing link " + peer.nodeSideName() + ": ", "no handshake within "
                            + HANDSHAKE_DEADLINE.toSeconds() + " s");
                }
            }
            assertTrue(accepted >= 1 && accepted <= MAX_CLIENTS, accepted + " idle sockets were taken in; MAX_CLIENTS is "
                    + MAX_CLIENTS);
        } finally {
            idle.forEach(RawPeer::close);
            watchers.shutdownNow();
        }
        nodes.assertBLinkedToA();
        // The slots the idle sockets held are free again: a newcomer is taken in and authenticated.
        authenticated().close();
    }

    @Test
    @Order(21)
    void aConnectionTricklingBytesIsClosedAtTheHandshakeDeadline() throws Exception {
        try (RawPeer slow = RawPeer.connect(nodes.peerPortOfA(), ANSWER)) {
            // A byte every half second, never a newline: each read ends in time, the handshake never does.
            Thread trickle = new Thread(() -> {
                for (int i = 0; i < 40 && !Thread.currentThread().isInterrupted(); i++) {
                    try {
                        slow.send(new byte[] {'x'});
                        Thread.sleep(500);
                    } catch (UncheckedIOException e) {
                        // The node hung up: the end this test waits for (awaitClosed below checks when).
                        return;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "trickle");
            trickle.start();
            try {
                String said = slow.awaitClosed(HANDSHAKE_DEADLINE.plus(SLACK));
                assertTrue(said.startsWith("HELLO:"), said);
                nodes.assertLoggedByA("Closing link " + slow.nodeSideName() + ": ", "no handshake within "
                        + HANDSHAKE_DEADLINE.toSeconds() + " s");
            } finally {
                trickle.interrupt();
                trickle.join(ANSWER.toMillis());
            }
        }
    }


    // ------------------------------------------------------------------ after everything

    @Test
    @Order(99)
    void theRealPeerIsStillServedAndBothLedgersAgreeAndAreValid() throws Exception {
        nodes.exchangeMessages("after every attack");
        nodes.assertBLinkedToA();
        LedgerView.awaitSame(List.of(nodes.a(), nodes.b()), LedgerView.messageIds(nodes.a()).size(),
                Duration.ofSeconds(30));
        JsonObject status = nodes.a().post("/api/ledger/validate?signatures=true", "").json();
        assertTrue(status.getBoolean("valid"), status.toString());
    }

    // ------------------------------------------------------------------ helpers

    /** A fresh raw connection that has completed the real handshake under the attacker's key. */
    private RawPeer authenticated() throws Exception {
        RawPeer peer = RawPeer.connect(nodes.peerPortOfA(), ANSWER, attacker);
        try {
            peer.handshake(attacker, group, "raw-" + attackers.incrementAndGet());
            return peer;
        } catch (Exception | AssertionError e) {
            peer.close();
            throw e;
        }
    }

    /**
     * Sends {@code frame} after a real handshake; A must answer ERROR {@code reason}, hang up, log {@code detail}
     * against this peer's name and key, and store none of {@code hashes}.
     */
    private void refuseBlock(Frame frame, String reason, String detail, String... hashes) throws Exception {
        LinkedPair.Ledger before = nodes.ledgerOfA();
        try (RawPeer peer = authenticated()) {
            peer.send(frame);
            assertRefused(peer, reason, detail);
            nodes.assertLoggedByA("Refused a frame from raw-" + attackers.get() + " (" + attacker.publicKey() + "): ",
                    detail);
        }
        nodes.assertNothingStored(before, hashes);
    }

    private void assertRefused(RawPeer peer, String reason, String detail) throws Exception {
        assertEquals(reason, peer.awaitErrorReason());
        peer.awaitClosed(ANSWER);
        nodes.assertLoggedByA("Closing link " + peer.nodeSideName() + ": ", detail);
    }

    private void assertNoPlaintext(String said) {
        for (String word : List.of("HELLO", "ERROR", "PROOF", "SYNC", group)) {
            assertFalse(said.contains(word), "the node answered in plaintext: " + said);
        }
    }

    private static Frame newBlock(JsonObject block) {
        return new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", block).build());
    }

    private static byte[] bytes(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> new Thread(task, prefix + "-" + count.incrementAndGet());
    }
}
