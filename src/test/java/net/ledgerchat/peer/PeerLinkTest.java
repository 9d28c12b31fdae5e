package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.peer.tls.PeerTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Links over real loopback TCP: two honest nodes exchange a block; hostile connections are cut off. Over TLS 1.3, as
 * {@link PeerService} links: the HELLO must claim the key TLS proved, and nothing goes out before TLS is up.
 */
class PeerLinkTest {
    private static final PeerLink.Limits LIMITS = new PeerLink.Limits(1024 * 1024, Duration.ofSeconds(1),
            Duration.ofSeconds(5), 1_000);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final NodeIdentity aId = NodeIdentity.generate();
    private final NodeIdentity bId = NodeIdentity.generate();
    /** A founded the group and admitted B, whose ledger is still empty. */
    private final MemoryLedger a = MemoryLedger.founding(aId, "link test", Clock.systemUTC());
    private final MemoryLedger b = MemoryLedger.stranger(bId, a.groupId(), Clock.systemUTC());

    {
        try {
            a.admit(bId, "B", Instant.ofEpochMilli(System.currentTimeMillis()));
        } catch (net.ledgerchat.ledger.BlockRejectedException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private PeerLink link(Socket socket, NodeIdentity me, MemoryLedger ledger, CountDownLatch closed) {
        PeerLink link = new PeerLink(socket, LIMITS, out -> new PeerSession(
                new Handshake(me, a.groupId(), "n", Optional.empty(), new SecureRandom()), ledger, out,
                Limits.DEFAULT, 50), closed::countDown);
        link.start(threads);
        return link;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void twoNodesAuthenticateSyncAndGossipOverTcp() throws Exception {
        Block early = a.send("sent before the link", Instant.ofEpochMilli(System.currentTimeMillis()));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch closed = new CountDownLatch(2);
            Socket dialled = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            PeerLink fromA = link(dialled, aId, a, closed);
            PeerLink atB = link(server.accept(), bId, b, closed);
            await("the handshake", () -> fromA.session().ready() && atB.session().ready());
            await("the link-up sync", () -> b.holds(early.hash()));
            Block live = a.send("sent on a live link", Instant.ofEpochMilli(System.currentTimeMillis()));
            Gossip.spread(List.of(live), List.of(fromA));
            await("the gossiped block", () -> b.holds(live.hash()));
            assertEquals(a.ordered(), b.ordered());
            fromA.close();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "both ends see the link end");
        }
    }

    @Test
    void aFiveMegabyteLineWithoutNewlineIsCutOffWithAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket attacker = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CountDownLatch closed = new CountDownLatch(1);
            link(server.accept(), bId, b, closed);
            threads.execute(() -> {
                try {
                    OutputStream out = attacker.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    for (int i = 0; i < 80; i++) {
                        out.write(chunk);
                    }
                } catch (java.io.IOException e) {
                    // The node closed the connection mid-stream: what this test expects.
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(attacker.getInputStream(), StandardCharsets.UTF_8));
            String hello = in.readLine();
            assertTrue(hello.startsWith("HELLO:"), hello);
            assertEquals("ERROR:{\"reason\":\"OVERSIZE\"}", in.readLine());
            assertTrue(closed.await(5, TimeUnit.SECONDS));
            assertTrue(b.ordered().isEmpty());
        }
    }

    @Test
    void aConnectionThatNeverHandshakesIsClosedWithinTheLimit() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CountDownLatch closed = new CountDownLatch(1);
            long start = System.nanoTime();
            link(server.accept(), bId, b, closed);
            assertTrue(closed.await(5, TimeUnit.SECONDS), "an idle connection must not hold a slot");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 900, "closed after " + ms + " ms, before the 1 s limit");
            idle.setSoTimeout(5_000);
            // The node said HELLO, heard nothing back, and hung up: the stream ends instead of blocking.
            String received = new String(idle.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(received.startsWith("HELLO:"), received);
        }
    }

    @Test
    void aConnectionTricklingBytesIsClosedAtTheHandshakeDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CountDownLatch closed = new CountDownLatch(1);
            long start = System.nanoTime();
            link(server.accept(), bId, b, closed);
            // A byte every 200 ms, never a newline: each read ends well within the 1 s limit, the handshake never does.
            threads.execute(() -> {
                try {
                    while (closed.getCount() > 0) {
                        slow.getOutputStream().write('x');
                        Thread.sleep(200);
                    }
                } catch (java.io.IOException e) {
                    // The node hung up on the trickle: what this test waits for below.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(closed.await(3, TimeUnit.SECONDS), "a trickling connection must not hold a slot past the deadline");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 900, "closed after " + ms + " ms, before the 1 s limit");
        }
    }

    @Test
    void invalidUtf8AndWrongGroupGetErrors() throws Exception {
        for (String attack : List.of("HELLO:{\"x\":\"\u00ff\"}", "HELLO:{}")) {
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Socket attacker = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                CountDownLatch closed = new CountDownLatch(1);
                link(server.accept(), bId, b, closed);
                byte[] bytes = attack.equals("HELLO:{}") ? (attack + "\n").getBytes(StandardCharsets.UTF_8)
                        : new byte[] {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xFF, '"', ':', '1', '}', '\n'};
                attacker.getOutputStream().write(bytes);
                BufferedReader in = new BufferedReader(new InputStreamReader(attacker.getInputStream(), StandardCharsets.UTF_8));
                in.readLine();
                String error = in.readLine();
                assertTrue(error.startsWith("ERROR:"), error);
                assertTrue(closed.await(5, TimeUnit.SECONDS));
            }
        }
    }

    // ------------------------------------------------------------------ over TLS, as PeerService links

    private static PeerTls tls(NodeIdentity identity) throws Exception {
        return PeerTls.create(identity, key -> true);
    }

    @Test
    void twoNodesLinkOverTlsAndSync() throws Exception {
        Block early = a.send("sent before the link", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch closed = new CountDownLatch(2);
            Socket dialled = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            PeerLink fromA = link(tls(aId).overConnected(dialled, "127.0.0.1", server.getLocalPort()), aId, a, closed);
            PeerLink atB = link(tls(bId).overAccepted(server.accept()), bId, b, closed);
            await("the handshake", () -> fromA.session().ready() && atB.session().ready());
            await("the link-up sync", () -> b.holds(early.hash()));
            fromA.close();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "both ends see the link end");
        }
    }

    @Test
    void aHelloClaimingAnotherKeyThanTheOneTlsProvedIsRefused() throws Exception {
        NodeIdentity claimed = NodeIdentity.generate();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch closed = new CountDownLatch(2);
            Socket dialled = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            // TLS with A's key, HELLO and PROOF with another key the attacker also holds.
            PeerLink impostor = link(tls(aId).overConnected(dialled, "127.0.0.1", server.getLocalPort()), claimed, a, closed);
            PeerLink atB = link(tls(bId).overAccepted(server.accept()), bId, b, closed);
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the link is closed");
            assertFalse(atB.session().ready(), "B never took the HELLO");
            assertFalse(impostor.session().ready());
        }
    }

    @Test
    void aConnectionThatNeverStartsTlsIsClosedAtTheDeadlineAndHearsNoProtocol() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CountDownLatch closed = new CountDownLatch(1);
            link(tls(bId).overAccepted(server.accept()), bId, b, closed);
            assertTrue(closed.await(LIMITS.handshakeTimeout().plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS),
                    "closed at the handshake deadline");
            assertNoPlaintext(silent);
        }
    }

    @Test
    void aPlaintextHelloIsRefusedWithoutAPlaintextAnswer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CountDownLatch closed = new CountDownLatch(1);
            link(tls(bId).overAccepted(server.accept()), bId, b, closed);
            Handshake stranger = new Handshake(aId, a.groupId(), "plain", Optional.empty(), new SecureRandom());
            plain.getOutputStream().write(stranger.hello(java.util.List.of()).encode());
            assertTrue(closed.await(5, TimeUnit.SECONDS), "closed");
            assertNoPlaintext(plain);
        }
    }

    /** What the node sent on this socket before closing it holds no protocol text (at most a TLS alert record). */
    private void assertNoPlaintext(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset ends the stream as well as a close does.
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        for (String word : new String[] {"HELLO", "ERROR", "PROOF", "SYNC", a.groupId()}) {
            assertFalse(text.contains(word), "plaintext '" + word + "' on the wire: " + text);
        }
    }
}
