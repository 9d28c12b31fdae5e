package net.ledgerchat.membership;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Random;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.NodeIdentity;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Keys drawn from a seeded random source, so that a seed replays the very same history, hashes included. */
public final class SeededKeys {
    /** PKCS#8 v1 of an Ed25519 key, as the JDK writes it: this prefix, then the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private SeededKeys() {
    }

    public static NodeIdentity identity(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] pkcs8 = new byte[PKCS8_PREFIX.length + seed.length];
        System.arraycopy(PKCS8_PREFIX, 0, pkcs8, 0, PKCS8_PREFIX.length);
        System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, seed.length);
        String publicKey = Hex.encode(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
        try {
            return NodeIdentity.fromPkcs8(pkcs8, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a seeded Ed25519 key did not load", e);
        }
    }

    public static InviteKey invite(Random random) {
        byte[] secret = new byte[InviteKey.SECRET_BYTES];
        random.nextBytes(secret);
        return InviteKey.fromSecret(secret);
    }
}
