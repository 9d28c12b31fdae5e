package net.ledgerchat.peer.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Node links over real loopback TLS: what works, resumption, and peers that never speak TLS properly. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerTlsTest {
    private static final byte[] SECRET = "application bytes".getBytes(UTF_8);
    private final NodeIdentity server = NodeIdentity.generate();
    private final NodeIdentity client = NodeIdentity.generate();

    @Test
    void twoNodesCompleteMutualTls13AndLearnEachOthersKey() throws Exception {
        record Seen(String protocol, String peerKey) {
        }
        PeerTls serverTls = PeerTls.create(server, key -> true);
        try (Loopback net = new Loopback()) {
            Future<Seen> served = net.serve(accepted -> {
                TlsLink link = PeerTls.handshake(serverTls.overAccepted(accepted), Loopback.WAIT);
                link.out().write(link.in().readNBytes(SECRET.length));
                link.out().flush();
                return new Seen(link.session().getProtocol(), link.peerKey());
            });
            try (TlsLink link = net.dial(PeerTls.create(client, key -> true))) {
                link.out().write(SECRET);
                link.out().flush();
                assertArrayEquals(SECRET, link.in().readNBytes(SECRET.length));
                assertEquals("TLSv1.3", link.session().getProtocol());
                assertEquals(server.publicKey(), link.peerKey());
                assertEquals(server.publicKey(), NodeKeys.peerKey(link.session()));
            }
            assertEquals(new Seen("TLSv1.3", client.publicKey()), Loopback.await(served));
        }
    }

    @Test
    void resumedSessionSkipsTheTrustManagerButStillCarriesBothKeys() throws Exception {
        AtomicInteger serverChecks = new AtomicInteger();
        AtomicInteger clientChecks = new AtomicInteger();
        PeerTls serverTls = PeerTls.create(server, key -> serverChecks.incrementAndGet() > 0); // counts, admits all
        PeerTls clientTls = PeerTls.create(client, key -> clientChecks.incrementAndGet() > 0);
        try (Loopback net = new Loopback()) {
            long[] created = new long[2];
            for (int i = 0; i < 2; i++) {
                Future<String> served = net.serve(accepted -> {
                    TlsLink link = PeerTls.handshake(serverTls.overAccepted(accepted), Loopback.WAIT);
                    link.out().write(1);
                    link.out().flush();
                    // Waits for the client's close, so the server's key check and the client's read both happen.
                    link.in().read();
                    return NodeKeys.peerKey(link.session());
                });
                try (TlsLink link = net.dial(clientTls)) {
                    // Reading processes the session ticket that TLS 1.3 sends after the handshake.
                    assertEquals(1, link.in().read());
                    assertEquals(server.publicKey(), NodeKeys.peerKey(link.session()));
                    created[i] = link.session().getCreationTime();
                }
                assertEquals(client.publicKey(), Loopback.await(served));
            }
            assertEquals(1, serverChecks.get(), "the second handshake was a full one on the server: nothing resumed");
            assertEquals(1, clientChecks.get(), "the second handshake was a full one on the client: nothing resumed");
            assertEquals(created[0], created[1], "a resumed session keeps the first one's creation time");
        }
    }

    @Test
    void silentClientFailsTheServerHandshakeWithinItsDeadline() throws Exception {
        PeerTls serverTls = PeerTls.create(server, key -> true);
        try (Loopback net = new Loopback()) {
            Future<Long> served = net.serve(accepted -> {
                long start = System.nanoTime();
                SSLSocket socket = serverTls.overAccepted(accepted);
                assertThrows(SocketTimeoutException.class, () -> PeerTls.handshake(socket, Duration.ofMillis(500)));
                assertTrue(socket.isClosed(), "a failed handshake closes the socket");
                return (System.nanoTime() - start) / 1_000_000;
            });
            try (Socket silent = net.dial()) {
                long millis = Loopback.await(served);
                assertTrue(millis >= 450 && millis < 2_500, "handshake gave up after " + millis + " ms");
                int first = silent.getInputStream().read();
                assertTrue(first == -1 || first == 21, "the server sent more than an alert record: " + first);
            }
        }
    }

    @Test
    void plaintextClientGetsNoApplicationDataAndFailsTheServerHandshake() throws Exception {
        PeerTls serverTls = PeerTls.create(server, key -> true);
        try (Loopback net = new Loopback()) {
            Future<TlsLink> served = net.serve(accepted -> {
                TlsLink link = PeerTls.handshake(serverTls.overAccepted(accepted), Loopback.WAIT);
                link.out().write(SECRET);
                link.out().flush();
                return link;
            });
            try (Socket plain = net.dial()) {
                plain.getOutputStream().write("HELLO ledgerchat\n".getBytes(UTF_8));
                plain.getOutputStream().flush();
                assertThrows(SSLException.class, () -> Loopback.await(served));
                String received = readAll(plain.getInputStream()).toString(UTF_8);
                assertFalse(received.contains(new String(SECRET, UTF_8)), "plaintext client read: " + received);
            }
        }
    }

    /** Everything the peer sends until it closes; a reset counts as the end (it sends nothing more). */
    private static ByteArrayOutputStream readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            out.writeBytes(("[" + e + "]").getBytes(UTF_8));
        }
        return out;
    }
}
