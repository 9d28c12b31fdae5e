package net.ledgerchat.peer.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Date;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's TLS credentials: its own Ed25519 private key and a self-signed X.509 certificate over
 * the matching public key. The certificate is only a carrier for the key (peers trust the key, see
 * {@link NodeKeyTrustManager}); it is made anew in memory each start and never stored.
 *
 * <p>Both keys are the JDK's own (SunEC), not Bouncy Castle's, though the ledger signs with Bouncy
 * Castle: JSSE signs its CertificateVerify with the key it is handed, and on JDK 17 a key manager that
 * hands it a Bouncy Castle Ed25519 key fails the server's handshake with "No available authentication
 * scheme" (tried); JSSE matches keys by algorithm name, "EdDSA" for a SunEC key but "Ed25519" for a
 * Bouncy Castle one. A PKCS12 key store happens to re-parse a stored key with the default provider,
 * which would hide this; the key is made with SunEC here so that nothing depends on it. Bouncy Castle
 * is never installed as a JCA provider in this project (the ledger names it per call), so the default
 * "Ed25519" KeyFactory, JcaContentSignerBuilder and JcaX509CertificateConverter are all the JDK's: the
 * certificate is signed by SunEC and parsed into the JDK's own certificate class.
 */
public record NodeCertificate(PrivateKey privateKey, X509Certificate certificate) {
    /** Wide enough never to matter: the trust manager ignores dates, but the JDK parses them. */
    private static final Instant NOT_BEFORE = Instant.EPOCH;
    private static final Instant NOT_AFTER = Instant.parse("9999-12-31T23:59:59Z");

    /** Makes the certificate over {@code identity}'s key, signed by that key. */
    public static NodeCertificate of(NodeIdentity identity) throws GeneralSecurityException {
        KeyFactory jdk = KeyFactory.getInstance("Ed25519");
        PrivateKey privateKey = jdk.generatePrivate(new PKCS8EncodedKeySpec(identity.privateKeyPkcs8()));
        PublicKey publicKey = jdk.generatePublic(new X509EncodedKeySpec(spki(identity.publicKey())));
        X500Name name = new X500Name("CN=ledgerchat node " + identity.publicKey().substring(0, 16));
        // One serial for every node certificate: nothing here looks certificates up by issuer and serial.
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name, publicKey);
        X509CertificateHolder holder;
        try {
            holder = builder.build(new JcaContentSignerBuilder("Ed25519").build(privateKey));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the node certificate with Ed25519", e);
        }
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
        // The private key and the public key come from two sources; a certificate that did not verify
        // under its own key would be refused by every peer, so it is checked here where the cause is clear.
        certificate.verify(certificate.getPublicKey());
        return new NodeCertificate(privateKey, certificate);
    }

    private static byte[] spki(String publicKeyHex) throws GeneralSecurityException {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    Hex.decode(publicKeyHex, 32, "node key")).getEncoded();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode the node key", e);
        }
    }
}
