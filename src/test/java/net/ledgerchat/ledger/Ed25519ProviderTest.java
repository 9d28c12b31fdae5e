package net.ledgerchat.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The signing provider (Bouncy Castle, for speed) and the JDK's own must be interchangeable: the same
 * signatures for RFC 8032's test vectors, and each accepts what the other signs, so a node never
 * refuses a block another Ed25519 implementation made correctly.
 */
class Ed25519ProviderTest {
    /** PKCS#8 v1 header for an Ed25519 private key; the 32-byte seed follows. */
    private static final String PKCS8_PREFIX = "302e020100300506032b657004220420";

    /** RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72). */
    private static final String[][] VECTORS = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    };

    @Test
    void signsRfc8032VectorsExactly() throws Exception {
        for (String[] v : VECTORS) {
            NodeIdentity identity = NodeIdentity.fromPkcs8(HexFormat.of().parseHex(PKCS8_PREFIX + v[0]), v[1]);
            assertEquals(v[1], identity.publicKey());
            byte[] message = HexFormat.of().parseHex(v[2]);
            assertEquals(v[3], identity.sign(message));
            assertTrue(new Ed25519().verify(v[1], message, v[3]));
        }
    }

    @Test
    void theJdkProviderAcceptsWhatThisNodeSigns() throws Exception {
        NodeIdentity identity = NodeIdentity.generate();
        byte[] data = "a block hash stands here".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature jdk = Signature.getInstance("Ed25519", "SunEC");
        jdk.initVerify(Ed25519.decodeWithJdk(Hex.decode(identity.publicKey(), 32, "key")));
        jdk.update(data);
        assertTrue(jdk.verify(Hex.decode(identity.sign(data), 64, "signature")));
    }

    @Test
    void thisNodeAcceptsWhatTheJdkProviderSigns() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        byte[] data = "another block hash".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature jdk = Signature.getInstance("Ed25519", "SunEC");
        jdk.initSign(pair.getPrivate());
        jdk.update(data);
        String signature = Hex.encode(jdk.sign());
        String key = Hex.encode(Ed25519.rawPublicKey(pair.getPublic()));
        assertTrue(new Ed25519().verify(key, data, signature));
        assertFalse(new Ed25519().verify(key, "changed".getBytes(java.nio.charset.StandardCharsets.US_ASCII), signature));
    }

    @Test
    void theSealKeyDoesNotDependOnTheProvider() throws Exception {
        // node.key holds the JDK's PKCS#8; seals made before the provider changed must still match.
        String[] v = VECTORS[0];
        NodeIdentity a = NodeIdentity.fromPkcs8(HexFormat.of().parseHex(PKCS8_PREFIX + v[0]), v[1]);
        NodeIdentity b = NodeIdentity.fromPkcs8(a.privateKeyPkcs8(), v[1]);
        assertEquals(PKCS8_PREFIX + v[0], HexFormat.of().formatHex(a.privateKeyPkcs8()));
        String hash = "ab".repeat(32);
        String sig = "cd".repeat(64);
        assertEquals(a.seal().compute(hash, sig, 7), b.seal().compute(hash, sig, 7));
    }
}
