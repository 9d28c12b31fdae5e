package net.ledgerchat.peer.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and TLS contexts that a node would never make: foreign keys, forged signatures, none at all. */
final class TestCerts {
    private TestCerts() {
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate over {@code subject}'s key, signed by {@code signer} with {@code algorithm}. */
    static X509Certificate certificate(PublicKey subject, PrivateKey signer, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, subject);
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    static X509Certificate selfSigned(KeyPair pair, String algorithm) throws Exception {
        return certificate(pair.getPublic(), pair.getPrivate(), algorithm);
    }

    /**
     * A TLS 1.3 context presenting {@code certificate} with {@code key} (none when null), trusting any
     * node key: the tests use it to put one wrong thing in front of a real {@link PeerTls}.
     */
    static SSLContext context(PrivateKey key, X509Certificate certificate) throws Exception {
        KeyManager[] keyManagers = null;
        if (key != null) {
            char[] password = "test".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry("k", key, password, new Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            keyManagers = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance(PeerTls.PROTOCOL);
        Predicate<String> anyKey = k -> true;
        context.init(keyManagers, new TrustManager[] {new NodeKeyTrustManager(anyKey)}, null);
        return context;
    }
}
