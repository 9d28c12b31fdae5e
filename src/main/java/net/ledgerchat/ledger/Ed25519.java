package net.ledgerchat.ledger;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Ed25519 through the JDK's standard signature API (JCA), with Bouncy Castle as the provider that
 * does the arithmetic: on this project's 2-core machines the JDK 17 provider signs about 1,560 and
 * verifies about 1,640 times a second per core, Bouncy Castle's about 10,000 and 7,000-10,000
 * (BENCHMARKS.md), and every send signs once and every block received verifies once. Both providers
 * implement RFC 8032 and are tested against each other and its test vectors. Keys travel as their raw
 * 32 bytes (hex); JCA wants X.509, so the fixed 12-byte SubjectPublicKeyInfo prefix is put in front.
 */
public final class Ed25519 {
    /** Immutable once built; JCA providers are safe to share between threads. */
    static final Provider PROVIDER = new BouncyCastleProvider();
    // One instance per thread of use: the key cache is shared safely, Signature objects are made per call.
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** Decoding a key costs more than hashing a block; authors are few, so decoded keys are kept (bounded). */
    private static final int KEY_CACHE_LIMIT = 4096;

    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    public boolean verify(String authorHex, byte[] data, String signatureHex) {
        byte[] signature = Hex.decode(signatureHex, Block.SIGNATURE_BYTES, "signature");
        try {
            Signature verifier = Signature.getInstance("Ed25519", PROVIDER);
            verifier.initVerify(publicKey(authorHex));
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // An author that is not a curve point, or a signature the provider cannot parse, is simply not valid.
            return false;
        }
    }

    PublicKey publicKey(String authorHex) throws GeneralSecurityException {
        PublicKey key = keys.get(authorHex);
        if (key == null) {
            key = decode(Hex.decode(authorHex, Block.KEY_BYTES, "author"));
            if (keys.size() >= KEY_CACHE_LIMIT) {
                keys.clear();
            }
            keys.put(authorHex, key);
        }
        return key;
    }

    static PublicKey decode(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519", PROVIDER).generatePublic(x509(raw));
    }

    /** The same key for the JDK's own provider (tests check the two providers agree). */
    static PublicKey decodeWithJdk(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(x509(raw));
    }

    private static X509EncodedKeySpec x509(byte[] raw) {
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
        return new X509EncodedKeySpec(encoded);
    }

    static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + Block.KEY_BYTES) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }
}
