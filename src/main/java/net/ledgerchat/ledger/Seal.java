package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Why a seal: re-verifying every Ed25519 signature on each periodic validation would cost about
 * 100 us per block (minutes for a million blocks). Instead, when the node has verified a block's
 * signature it stores an HMAC-SHA256, keyed by a secret only this node holds, over the block's
 * hash, signature and order timestamp. Validation then recomputes the hash from the stored fields
 * and checks the seal: two SHA-256 passes per block, and a row that anyone without the node key
 * edited, forged or copied from another node's database fails. Not thread-safe: one per scan.
 */
public final class Seal {
    private final Mac mac;
    private static final byte BLOCK = 1;
    private static final byte DIGEST = 2;
    private static final String ZERO_SIGNATURE = "0".repeat(Block.SIGNATURE_BYTES * 2);
    private final ByteBuffer input = ByteBuffer.allocate(1 + Block.HASH_BYTES + Block.SIGNATURE_BYTES + Long.BYTES);

    Seal(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    public String compute(String hash, String signature, long orderTs) {
        return Hex.encode(raw(BLOCK, hash, signature, orderTs));
    }

    public boolean matches(String seal, String hash, String signature, long orderTs) {
        if (!Hex.isHex(seal, 32) || !Hex.isHex(hash, Block.HASH_BYTES) || !Hex.isHex(signature, Block.SIGNATURE_BYTES)) {
            return false;
        }
        return MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), raw(BLOCK, hash, signature, orderTs));
    }

    /** The seal over the ledger's {@link SetDigest}, so the stored count and digest cannot be edited either. */
    public String compute(SetDigest digest) {
        return Hex.encode(raw(DIGEST, digest.xor(), ZERO_SIGNATURE, digest.count()));
    }

    public boolean matches(String seal, SetDigest digest) {
        return Hex.isHex(seal, 32)
                && MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), raw(DIGEST, digest.xor(), ZERO_SIGNATURE, digest.count()));
    }

    private byte[] raw(byte domain, String hash, String signature, long value) {
        input.clear();
        input.put(domain);
        input.put(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        input.put(Hex.decode(signature, Block.SIGNATURE_BYTES, "signature"));
        input.putLong(value);
        return mac.doFinal(input.array());
    }
}
