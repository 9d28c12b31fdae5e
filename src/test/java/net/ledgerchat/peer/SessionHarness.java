package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;

/** One node's session over an in-memory ledger, and the other side of its link played by the test. */
final class SessionHarness {
    final NodeIdentity node = NodeIdentity.generate();
    final NodeIdentity peer = NodeIdentity.generate();
    /** The node founded the group; the peer is a member unless the harness was made for a stranger. */
    final MemoryLedger ledger = MemoryLedger.founding(node, "harness", Clock.systemUTC());
    final String group = ledger.groupId();
    final List<Frame> sent = new ArrayList<>();
    String closed;
    final PeerSession session = new PeerSession(
            new Handshake(node, group, "node", Optional.empty(), new SecureRandom()), ledger,
            new PeerSession.Outbox() {
                @Override
                public void send(Frame frame) {
                    sent.add(frame);
                }

                @Override
                public void sendEncoded(byte[] frame) {
                    try {
                        sent.add(Frame.decode(Arrays.copyOf(frame, frame.length - 1), PeerSession.TYPES));
                    } catch (FrameException e) {
                        throw new AssertionError("the session encoded a frame it cannot decode", e);
                    }
                }

                @Override
                public void close(String reason) {
                    closed = reason;
                }
            }, Limits.DEFAULT, 50);
    final Handshake peerSide = new Handshake(peer, group, "peer", Optional.empty(), new SecureRandom());

    /** A harness whose peer the node admitted. */
    SessionHarness() {
        this(true);
    }

    SessionHarness(boolean peerIsMember) {
        if (peerIsMember) {
            try {
                ledger.admit(peer, "peer", now());
            } catch (BlockRejectedException e) {
                throw new AssertionError("the founder could not admit the peer", e);
            }
        }
    }

    static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }

    /** A message by the peer after the node's current heads. */
    Block fromPeer(String text) {
        return new BlockFactory(peer).write(group, ledger.headKeys(), now(),
                new Body.Message("00".repeat(Body.SALT_BYTES), text));
    }

    void deliver(Frame frame) {
        byte[] wire = frame.encode();
        session.receive(Arrays.copyOf(wire, wire.length - 1));
    }

    void handshake() throws Exception {
        authenticate();
        assertTrue(session.ready(), "the handshake itself is honest: " + closed);
    }

    /** HELLO and PROOF both ways: after it a member's link is ready, a stranger's waits for an invite. */
    void authenticate() throws Exception {
        session.open();
        deliver(peerSide.hello(List.of()));
        peerSide.receiveHello(sent.get(0));
        deliver(peerSide.proof());
    }
}
