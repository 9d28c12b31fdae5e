package net.ledgerchat.peer.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer by its node key, on the client and the server side alike: the chain must be one
 * self-signed Ed25519 certificate (see {@link NodeKeys#verifiedKey}) whose key the policy admits.
 * There is no CA and no host name: a node is its key. The policy is pluggable because who may link
 * is the membership's business, not this package's; the links admit members and unknown keys here
 * (an unknown key may still present an invite) and check the exact membership after the handshake.
 *
 * <p>Extends {@link X509ExtendedTrustManager} rather than implementing {@code X509TrustManager}: JSSE
 * wraps a plain X509TrustManager in one that adds checks of its own (algorithm constraints, and host
 * names whenever an endpoint identification algorithm is set), so the whole decision would no longer
 * be here; a node certificate names no host to check.
 *
 * <p>JSSE does not call a trust manager on a resumed session; the key is still in the session there
 * ({@link NodeKeys#peerKey}), so the check after the handshake must run for every connection.
 */
public final class NodeKeyTrustManager extends X509ExtendedTrustManager {
    private final Predicate<String> admits;

    /** {@code admits} gets the peer's key as 64 lower-case hex characters, from any thread. */
    public NodeKeyTrustManager(Predicate<String> admits) {
        this.admits = Objects.requireNonNull(admits, "admits");
    }

    /** The peer's key when the chain is a node certificate the policy admits; otherwise a reason naming the key. */
    public String check(X509Certificate[] chain) throws CertificateException {
        String key = NodeKeys.verifiedKey(chain);
        if (!admits.test(key)) {
            throw new CertificateException("node key " + key + " is not admitted");
        }
        return key;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    /** Empty: no CA is trusted, so a server names none in its certificate request and the client sends its own. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
