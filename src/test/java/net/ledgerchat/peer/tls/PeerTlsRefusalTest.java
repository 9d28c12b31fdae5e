package net.ledgerchat.peer.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every peer that is not an admitted node key is refused during the handshake, before any application
 * byte: in TLS 1.3 the client finishes first, so a refused client learns it at its first read.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerTlsRefusalTest {
    private final NodeIdentity server = NodeIdentity.generate();
    private final NodeIdentity client = NodeIdentity.generate();

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        SSLException refused = serverRefuses(PeerTls.create(server, key -> true), TestCerts.context(null, null));
        assertTrue(refused.getMessage().contains("certificate"), refused.getMessage());
    }

    @Test
    void serverRefusesAClientKeyItsPolicyRefusesAndNamesIt() throws Exception {
        PeerTls serverTls = PeerTls.create(server, key -> !key.equals(client.publicKey()));
        SSLException refused = serverRefuses(serverTls, PeerTls.create(client, key -> true).context());
        assertReason(refused, client.publicKey() + " is not admitted");
    }

    @Test
    void clientRefusesAServerKeyItsPolicyRefusesAndNamesIt() throws Exception {
        PeerTls serverTls = PeerTls.create(server, key -> true);
        PeerTls clientTls = PeerTls.create(client, key -> !key.equals(server.publicKey()));
        try (Loopback net = new Loopback()) {
            Future<TlsLink> served = net.serve(
                    accepted -> PeerTls.handshake(serverTls.overAccepted(accepted), Loopback.WAIT));
            SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> net.dial(clientTls));
            assertReason(refused, server.publicKey() + " is not admitted");
            // The client's alert (SSLException), or a broken pipe when the server was still writing.
            assertThrows(IOException.class, () -> Loopback.await(served));
        }
    }

    @Test
    void certificateOverAnEcKeyIsRefused() throws Exception {
        KeyPair ec = TestCerts.p256();
        SSLContext foreign = TestCerts.context(ec.getPrivate(), TestCerts.selfSigned(ec, "SHA256withECDSA"));
        assertReason(serverRefuses(PeerTls.create(server, key -> true), foreign), "not Ed25519");
    }

    @Test
    void certificateNotSignedByItsOwnKeyIsRefused() throws Exception {
        KeyPair subject = TestCerts.ed25519();
        KeyPair signer = TestCerts.ed25519();
        SSLContext forged = TestCerts.context(subject.getPrivate(),
                TestCerts.certificate(subject.getPublic(), signer.getPrivate(), "Ed25519"));
        String subjectKey = NodeKeys.keyHex(subject.getPublic());
        assertReason(serverRefuses(PeerTls.create(server, key -> true), forged),
                subjectKey + " is not signed by that key");
    }

    /** The server's handshake fails, and the client's handshake or first read too; returns the server's failure. */
    private static SSLException serverRefuses(PeerTls serverTls, SSLContext clientContext) throws Exception {
        try (Loopback net = new Loopback()) {
            Future<TlsLink> served = net.serve(accepted -> {
                TlsLink link = PeerTls.handshake(serverTls.overAccepted(accepted), Loopback.WAIT);
                link.out().write(1);
                link.out().flush();
                return link;
            });
            try (SSLSocket socket = net.dial(clientContext)) {
                // An alert (SSLException), or a broken pipe or reset when the server has already closed.
                assertThrows(IOException.class, () -> {
                    socket.startHandshake();
                    socket.getInputStream().read();
                });
            }
            return assertThrows(SSLException.class, () -> Loopback.await(served));
        }
    }

    /** {@code failure} was caused by a CertificateException whose message contains {@code reason}. */
    private static void assertReason(Throwable failure, String reason) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException && cause.getMessage().contains(reason)) {
                return;
            }
        }
        throw new AssertionError("no CertificateException saying \"" + reason + "\" behind " + failure, failure);
    }
}
