package net.ledgerchat.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This node's Ed25519 key pair: it signs the node's blocks, and a secret derived from it keys the
 * storage {@link Seal}. The private key never leaves the node.
 */
public final class NodeIdentity {
    /** The key as the JDK encodes it (PKCS#8 v1), as node.key stores it and the seal key is derived from. */
    private final byte[] pkcs8;
    /** The same key in the provider that signs (see {@link Ed25519#PROVIDER}). */
    private final PrivateKey signingKey;
    private final String publicKeyHex;
    private final byte[] sealKey;

    private NodeIdentity(byte[] pkcs8, PublicKey publicKey) throws GeneralSecurityException {
        this.pkcs8 = pkcs8.clone();
        this.signingKey = KeyFactory.getInstance("Ed25519", Ed25519.PROVIDER)
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        this.publicKeyHex = Hex.encode(Ed25519.rawPublicKey(publicKey));
        this.sealKey = deriveSealKey(pkcs8);
    }

    public static NodeIdentity generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new NodeIdentity(pair.getPrivate().getEncoded(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    /** Restores an identity from its PKCS#8 form; the public key is recomputed and checked by a test signature. */
    public static NodeIdentity fromPkcs8(byte[] pkcs8, String expectedPublicKeyHex) throws GeneralSecurityException {
        // Parsed by the JDK first: node.key holds what the JDK wrote, and the seal key must not change with the provider.
        byte[] canonical = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)).getEncoded();
        PublicKey publicKey = Ed25519.decode(Hex.decode(expectedPublicKeyHex, Block.KEY_BYTES, "public key"));
        NodeIdentity identity = new NodeIdentity(canonical, publicKey);
        byte[] probe = "ledgerchat/key-check".getBytes(StandardCharsets.US_ASCII);
        if (!new Ed25519().verify(identity.publicKeyHex, probe, identity.sign(probe))) {
            throw new GeneralSecurityException("private and public key do not belong together");
        }
        return identity;
    }

    public byte[] privateKeyPkcs8() {
        return pkcs8.clone();
    }

    public String publicKey() {
        return publicKeyHex;
    }

    public String sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519", Ed25519.PROVIDER);
            signer.initSign(signingKey);
            signer.update(data);
            return Hex.encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public Seal seal() {
        return new Seal(sealKey);
    }

    private static byte[] deriveSealKey(byte[] privatePkcs8) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(privatePkcs8, "HmacSHA256"));
            return mac.doFinal("ledgerchat/seal-key/v1".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
