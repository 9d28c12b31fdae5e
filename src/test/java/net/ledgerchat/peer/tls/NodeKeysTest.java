package net.ledgerchat.peer.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.Test;

/** The certificate rules on their own, without sockets: what a node presents and what a peer accepts. */
class NodeKeysTest {
    private final NodeIdentity node = NodeIdentity.generate();

    @Test
    void nodeCertificateIsSelfSignedOverTheIdentityKeyWithJdkKeys() throws Exception {
        NodeCertificate own = NodeCertificate.of(node);
        X509Certificate certificate = own.certificate();
        assertEquals(node.publicKey(), NodeKeys.verifiedKey(new X509Certificate[] {certificate}));
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals("CN=ledgerchat node " + node.publicKey().substring(0, 16),
                certificate.getSubjectX500Principal().getName());
        assertEquals("EdDSA", own.privateKey().getAlgorithm(), "JSSE picks Ed25519 only for the JDK's key class");
        assertTrue(certificate.getNotBefore().toInstant().equals(Instant.EPOCH));
        assertTrue(certificate.getNotAfter().toInstant().isAfter(Instant.parse("9999-01-01T00:00:00Z")));
    }

    @Test
    void chainMustBeExactlyOneCertificate() throws Exception {
        X509Certificate own = NodeCertificate.of(node).certificate();
        assertThrows(CertificateException.class, () -> NodeKeys.verifiedKey(null));
        assertThrows(CertificateException.class, () -> NodeKeys.verifiedKey(new X509Certificate[0]));
        CertificateException two = assertThrows(CertificateException.class,
                () -> NodeKeys.verifiedKey(new X509Certificate[] {own, own}));
        assertTrue(two.getMessage().contains("exactly one"), two.getMessage());
    }

    @Test
    void rsaCertificateIsRefusedNamingItsAlgorithm() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        X509Certificate certificate = TestCerts.selfSigned(rsa, "SHA256withRSA");
        CertificateException refused = assertThrows(CertificateException.class, () -> NodeKeys.keyHex(certificate));
        assertTrue(refused.getMessage().contains("RSA") && refused.getMessage().contains("not Ed25519"),
                refused.getMessage());
    }

    @Test
    void ed448CertificateIsRefusedThoughTheJdkCallsBothEdDsa() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        X509Certificate certificate = TestCerts.selfSigned(ed448, "Ed448");
        assertEquals("EdDSA", certificate.getPublicKey().getAlgorithm());
        assertThrows(CertificateException.class, () -> NodeKeys.keyHex(certificate));
    }

    @Test
    void trustManagerNamesTheRefusedKeyAndTrustsNoIssuer() throws Exception {
        X509Certificate own = NodeCertificate.of(node).certificate();
        NodeKeyTrustManager refuseAll = new NodeKeyTrustManager(key -> false);
        CertificateException refused = assertThrows(CertificateException.class,
                () -> refuseAll.checkClientTrusted(new X509Certificate[] {own}, "UNKNOWN"));
        assertTrue(refused.getMessage().contains(node.publicKey()), refused.getMessage());
        assertEquals(node.publicKey(), new NodeKeyTrustManager(key -> true).check(new X509Certificate[] {own}));
        assertEquals(0, refuseAll.getAcceptedIssuers().length);
    }
}
