package net.ledgerchat.peer.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * Makes the TLS 1.3 sockets of peer links: both sides present their node certificate
 * ({@link NodeCertificate}) and trust each other's key by a policy ({@link NodeKeyTrustManager}). One
 * instance per node; it holds one {@link SSLContext}, so its session cache lets a node resume links.
 *
 * <p>A resumed handshake does not consult the trust manager: after every handshake the caller must
 * check {@link TlsLink#peerKey()} (membership, and the key the peer claims in its HELLO).
 */
public final class PeerTls {
    public static final String PROTOCOL = "TLSv1.3";
    private static final String ALIAS = "node";

    private final SSLContext context;

    private PeerTls(SSLContext context) {
        this.context = context;
    }

    /** {@code admits} decides, by key hex, which peers may complete a handshake (see {@link NodeKeyTrustManager}). */
    public static PeerTls create(NodeIdentity identity, Predicate<String> admits) throws GeneralSecurityException {
        NodeCertificate own = NodeCertificate.of(identity);
        // The key store never leaves memory, so its password protects nothing; PKCS12 just wants one.
        char[] password = "in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, password);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        store.setKeyEntry(ALIAS, own.privateKey(), password, new Certificate[] {own.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(keys.getKeyManagers(), new TrustManager[] {new NodeKeyTrustManager(admits)}, null);
        return new PeerTls(context);
    }

    /** The context itself, for callers that need an {@link javax.net.ssl.SSLEngine} or a factory of their own. */
    public SSLContext context() {
        return context;
    }

    /**
     * The server side of TLS over a socket a plain server socket accepted, so the node can refuse a
     * peer (too many links) before spending a handshake on it. Closing the TLS socket closes this one. (A socket
     * from an {@code SSLServerSocket} is not used: on JDK 17 its {@code close()} after the handshake reads on
     * until the peer's close_notify or for up to SO_TIMEOUT, measured at the full timeout.)
     * The handshake has not started: run {@link #handshake}, or set SO_TIMEOUT before
     * {@link SSLSocket#startHandshake()}, or a peer that sends nothing holds the thread forever.
     */
    public SSLSocket overAccepted(Socket accepted) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
        socket.setUseClientMode(false);
        socket.setNeedClientAuth(true);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        return socket;
    }

    /**
     * The client side of TLS over a connected socket. {@code host} and {@code port} name the peer as it
     * was dialled: the session cache is keyed by them, so the next link to that peer can be resumed.
     * They are not checked against the certificate (a node certificate names no host). As on the
     * server side, the handshake is the caller's to start with a deadline ({@link #handshake}).
     */
    public SSLSocket overConnected(Socket connected, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        socket.setUseClientMode(true);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        return socket;
    }

    /**
     * Runs the handshake, each read of it bounded by {@code timeout} (the socket's SO_TIMEOUT, set before
     * {@link SSLSocket#startHandshake()} and restored after), and returns the link with the peer's key.
     * A peer that sends nothing fails with a {@link java.net.SocketTimeoutException}; the timeout bounds
     * each read, not the whole handshake, so a peer trickling bytes needs the caller's overall deadline
     * too (PeerLink keeps one). A refused key fails with an {@link javax.net.ssl.SSLHandshakeException}
     * whose cause names the key. On any failure the socket is closed.
     *
     * <p>In TLS 1.3 the client's handshake ends before the server has judged the client's certificate,
     * so a client the server refuses usually learns it at its first read (an
     * {@link javax.net.ssl.SSLException}: certificate_unknown), or as a broken pipe in the handshake
     * when the server has closed already.
     */
    public static TlsLink handshake(SSLSocket socket, Duration timeout) throws IOException {
        int millis = Math.toIntExact(timeout.toMillis());
        if (millis <= 0) {
            throw new IllegalArgumentException("handshake timeout must be at least 1 ms, got " + timeout);
        }
        try {
            int previous = socket.getSoTimeout();
            socket.setSoTimeout(millis);
            socket.startHandshake();
            socket.setSoTimeout(previous);
            return new TlsLink(socket, NodeKeys.peerKey(socket.getSession()));
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(socket, e);
            throw e;
        }
    }

    private static void closeAfterFailure(SSLSocket socket, Exception failure) {
        try {
            socket.close();
        } catch (IOException e) {
            // The handshake's failure is what the caller must see; the close failing is kept beside it.
            failure.addSuppressed(e);
        }
    }
}
