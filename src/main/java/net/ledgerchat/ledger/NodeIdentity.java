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
    private final PrivateKey privateKey;
    private final String publicKeyHex;
    private final byte[] sealKey;

    private NodeIdentity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKeyHex = Hex.encode(Ed25519.rawPublicKey(publicKey));
        this.sealKey = deriveSealKey(privateKey.getEncoded());
    }

    public static NodeIdentity generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new NodeIdentity(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    /** Restores an identity from its PKCS#8 form; the public key is recomputed and checked by a test signature. */
    public static NodeIdentity fromPkcs8(byte[] pkcs8, String expectedPublicKeyHex) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        PublicKey publicKey = Ed25519.decode(Hex.decode(expectedPublicKeyHex, Block.KEY_BYTES, "public key"));
        NodeIdentity identity = new NodeIdentity(key, publicKey);
        byte[] probe = "ledgerchat/key-check".getBytes(StandardCharsets.US_ASCII);
        if (!new Ed25519().verify(identity.publicKeyHex, probe, identity.sign(probe))) {
            throw new GeneralSecurityException("private and public key do not belong together");
        }
        return identity;
    }

    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    public String publicKey() {
        return publicKeyHex;
    }

    public String sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
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
