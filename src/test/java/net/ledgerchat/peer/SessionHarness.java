package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;

/** One node's session over an in-memory ledger, and the other side of its link played by the test. */
final class SessionHarness {
    static final String GROUP = SimNetwork.GROUP;
    final NodeIdentity node = NodeIdentity.generate();
    final NodeIdentity peer = NodeIdentity.generate();
    final MemoryLedger ledger = new MemoryLedger(node, GROUP, Clock.systemUTC());
    final List<Frame> sent = new ArrayList<>();
    String closed;
    final PeerSession session = new PeerSession(
            new Handshake(node, GROUP, "node", Optional.empty(), new SecureRandom()), ledger,
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
    final Handshake peerSide = new Handshake(peer, GROUP, "peer", Optional.empty(), new SecureRandom());

    void deliver(Frame frame) {
        byte[] wire = frame.encode();
        session.receive(Arrays.copyOf(wire, wire.length - 1));
    }

    void handshake() throws Exception {
        session.open();
        deliver(peerSide.hello(List.of()));
        peerSide.receiveHello(sent.get(0));
        deliver(peerSide.proof());
        assertTrue(session.ready(), "the handshake itself is honest: " + closed);
    }
}
