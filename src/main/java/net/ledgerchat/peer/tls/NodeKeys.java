package net.ledgerchat.peer.tls;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import net.ledgerchat.ledger.Hex;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What a peer's certificate says about it: only its Ed25519 key. A node certificate is trusted for its
 * key alone (no CA, no names, no dates), so the one rule both sides apply is here: exactly one
 * certificate, over an Ed25519 key, whose signature verifies under that same key.
 */
public final class NodeKeys {
    private static final int KEY_BYTES = 32;

    private NodeKeys() {
    }

    /**
     * The raw 32-byte key of an Ed25519 certificate as lower-case hex, the form the ledger uses. The
     * key is read from its SubjectPublicKeyInfo rather than from a provider's key class, because the
     * JDK reports Ed25519 and Ed448 alike as "EdDSA" and Bouncy Castle's keys are other classes.
     */
    public static String keyHex(X509Certificate certificate) throws CertificateException {
        return keyHex(certificate.getPublicKey());
    }

    static String keyHex(PublicKey key) throws CertificateException {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        } catch (IllegalArgumentException e) {
            throw new CertificateException("certificate key (" + key.getAlgorithm() + ") cannot be parsed", e);
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
            throw new CertificateException("certificate key is " + key.getAlgorithm() + " ("
                    + info.getAlgorithm().getAlgorithm() + "), not Ed25519: a node is known by its Ed25519 key only");
        }
        byte[] raw = info.getPublicKeyData().getOctets();
        if (raw.length != KEY_BYTES) {
            throw new CertificateException("Ed25519 key has " + raw.length + " bytes, not " + KEY_BYTES);
        }
        return Hex.encode(raw);
    }

    /**
     * The key of a chain that is exactly one Ed25519 certificate signed by its own key. Validity dates
     * and names are not looked at: we trust keys, and a node key does not expire. TLS 1.3 already makes
     * the peer prove it holds the key (CertificateVerify); the self-signature adds that the certificate
     * itself was made by that holder, so nobody else chose its contents, and the rule stays whole where
     * no handshake vouches for the key (a certificate read from a session later, or from storage).
     */
    public static String verifiedKey(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("a node presents exactly one self-signed certificate, got "
                    + (chain == null ? "none" : chain.length));
        }
        X509Certificate certificate = chain[0];
        String key = keyHex(certificate);
        try {
            certificate.verify(certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate of key " + key + " is not signed by that key: "
                    + e.getMessage(), e);
        }
        return key;
    }

    /**
     * The verified key of the peer of an established session, a resumed one included: JSSE keeps the
     * peer's certificates in the session it resumes, while the trust manager is not asked again (so a
     * caller that must re-check membership after a resumption can do it with this key).
     *
     * @throws SSLPeerUnverifiedException when the peer did not authenticate, or its certificate is not a
     *     node certificate (the reason says which)
     */
    public static String peerKey(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] certificates = session.getPeerCertificates();
        X509Certificate[] chain = new X509Certificate[certificates.length];
        for (int i = 0; i < certificates.length; i++) {
            if (!(certificates[i] instanceof X509Certificate x509)) {
                throw new SSLPeerUnverifiedException("peer certificate is " + certificates[i].getType()
                        + ", not X.509");
            }
            chain[i] = x509;
        }
        try {
            return verifiedKey(chain);
        } catch (CertificateException e) {
            throw unverified(e);
        }
    }

    private static SSLPeerUnverifiedException unverified(CertificateException cause) {
        SSLPeerUnverifiedException e = new SSLPeerUnverifiedException("peer is not a node: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
