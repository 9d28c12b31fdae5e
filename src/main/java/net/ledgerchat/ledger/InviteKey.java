package net.ledgerchat.ledger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The key pair behind one invite (DESIGN section 7): a random 32-byte secret is its Ed25519 seed. The invite
 * block holds the public key; the code the admin hands out carries the secret; the joiner proves it holds the
 * secret by signing (tag, group id, invite hash, joiner key), which binds the proof to one invite and one joiner.
 */
public final class InviteKey {
    public static final int SECRET_BYTES = 32;
    private static final byte[] PROOF_TAG = "ledgerchat/invite-proof/v2".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519PrivateKeyParameters secret;

    private InviteKey(byte[] seed) {
        if (seed.length != SECRET_BYTES) {
            throw new IllegalArgumentException("an invite secret is " + SECRET_BYTES + " bytes");
        }
        this.secret = new Ed25519PrivateKeyParameters(seed, 0);
    }

    public static InviteKey generate() {
        byte[] seed = new byte[SECRET_BYTES];
        RANDOM.nextBytes(seed);
        return new InviteKey(seed);
    }

    public static InviteKey fromSecret(byte[] seed) {
        return new InviteKey(seed.clone());
    }

    /** The secret, for the invite code only: it is never stored in a block, logged or served again. */
    public byte[] secret() {
        return secret.getEncoded();
    }

    public String publicKey() {
        return Hex.encode(secret.generatePublicKey().getEncoded());
    }

    /** The proof an {@code admit} carries: this secret's signature over the invite and the joiner. */
    public String prove(String groupId, String inviteHash, String joinerKey) {
        byte[] payload = proofPayload(groupId, inviteHash, joinerKey);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, secret);
        signer.update(payload, 0, payload.length);
        return Hex.encode(signer.generateSignature());
    }

    public static boolean verifyProof(String inviteKey, String groupId, String inviteHash, String joinerKey, String proof) {
        return new Ed25519().verify(inviteKey, proofPayload(groupId, inviteHash, joinerKey), proof);
    }

    static byte[] proofPayload(String groupId, String inviteHash, String joinerKey) {
        return new CanonicalWriter(PROOF_TAG.length + 96).raw(PROOF_TAG)
                .hex(groupId, Block.HASH_BYTES, "group id")
                .hex(inviteHash, Block.HASH_BYTES, "invite hash")
                .hex(joinerKey, Block.KEY_BYTES, "joiner key").toByteArray();
    }

    @Override
    public String toString() {
        return "InviteKey[" + publicKey() + "]";
    }
}
