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
    private final ByteBuffer input = ByteBuffer.allocate(Block.HASH_BYTES + Block.SIGNATURE_BYTES + Long.BYTES);

    Seal(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    public String compute(String hash, String signature, long orderTs) {
        return Hex.encode(raw(hash, signature, orderTs));
    }

    public boolean matches(String seal, String hash, String signature, long orderTs) {
        if (!Hex.isHex(seal, 32) || !Hex.isHex(hash, Block.HASH_BYTES) || !Hex.isHex(signature, Block.SIGNATURE_BYTES)) {
            return false;
        }
        return MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), raw(hash, signature, orderTs));
    }

    private byte[] raw(String hash, String signature, long orderTs) {
        input.clear();
        input.put(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        input.put(Hex.decode(signature, Block.SIGNATURE_BYTES, "signature"));
        input.putLong(orderTs);
        return mac.doFinal(input.array());
    }
}
