package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
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
    private static final byte PROJECTION = 3;
    private static final byte HEADS = 4;
    private static final byte SHOWN = 5;
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

    /** A block row's seal without a membership context stored beside it. */
    public String compute(String hash, String signature, long orderTs) {
        return compute(hash, signature, orderTs, List.of());
    }

    /**
     * A block row's seal: hash, signature, order timestamp and the membership context stored with it (the hashes of
     * membership blocks), which decides what the block may do and is not part of the block.
     */
    public String compute(String hash, String signature, long orderTs, List<String> context) {
        return Hex.encode(block(Hex.decode(hash, Block.HASH_BYTES, "hash"), Hex.decode(signature, Block.SIGNATURE_BYTES,
                "signature"), orderTs, contextBytes(context)));
    }

    public boolean matches(String seal, String hash, String signature, long orderTs) {
        if (!Hex.isHex(seal, 32) || !Hex.isHex(hash, Block.HASH_BYTES) || !Hex.isHex(signature, Block.SIGNATURE_BYTES)) {
            return false;
        }
        return MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), Hex.decode(compute(hash, signature, orderTs), 32, "seal"));
    }

    /**
     * The seal of how a message row is shown: whether it counts and under which name. Both follow the membership,
     * not the block, so the projection's fingerprints cannot vouch for them.
     */
    public String shown(String hash, boolean counts, String name) {
        return Hex.encode(shownRaw(Hex.decode(hash, Block.HASH_BYTES, "hash"), counts, name.getBytes(StandardCharsets.UTF_8)));
    }

    /** The same check on the bytes a scan reads. */
    public boolean shownMatches(byte[] seal, byte[] hash, boolean counts, byte[] nameUtf8) {
        return seal != null && MessageDigest.isEqual(shownRaw(hash, counts, nameUtf8), seal);
    }

    private byte[] shownRaw(byte[] hash, boolean counts, byte[] nameUtf8) {
        mac.update(SHOWN);
        mac.update(hash, 0, Block.HASH_BYTES);
        mac.update((byte) (counts ? 1 : 0));
        lengthPrefixed(nameUtf8);
        return mac.doFinal();
    }

    private static byte[] contextBytes(List<String> context) {
        byte[] joined = new byte[context.size() * Block.HASH_BYTES];
        for (int i = 0; i < context.size(); i++) {
            System.arraycopy(Hex.decode(context.get(i), Block.HASH_BYTES, "context hash"), 0, joined, i * Block.HASH_BYTES,
                    Block.HASH_BYTES);
        }
        return joined;
    }

    /** The seal over the ledger's {@link SetDigest}, so the stored count and digest cannot be edited either. */
    public String compute(SetDigest digest) {
        return Hex.encode(raw(DIGEST, digest.xor(), ZERO_SIGNATURE, digest.count()));
    }

    public boolean matches(String seal, SetDigest digest) {
        return Hex.isHex(seal, 32)
                && MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), raw(DIGEST, digest.xor(), ZERO_SIGNATURE, digest.count()));
    }

    /** The same check on decoded bytes (the validation scan decodes each row once): {@code context} as stored. */
    public boolean matches(byte[] seal, byte[] hash, byte[] signature, long orderTs, byte[] context) {
        return MessageDigest.isEqual(block(hash, signature, orderTs, context), seal);
    }

    private byte[] block(byte[] hash, byte[] signature, long orderTs, byte[] context) {
        mac.update(BLOCK);
        mac.update(hash, 0, Block.HASH_BYTES);
        mac.update(signature, 0, Block.SIGNATURE_BYTES);
        input.clear();
        input.putLong(orderTs);
        mac.update(input.array(), 0, Long.BYTES);
        lengthPrefixed(context);
        return mac.doFinal();
    }

    /** The seal over the head set kept beside the digest, so start-up can trust it instead of walking the ledger. */
    public String compute(long count, List<String> heads) {
        mac.update(HEADS);
        input.clear();
        input.putLong(count).putInt(heads.size());
        mac.update(input.array(), 0, Long.BYTES + Integer.BYTES);
        for (String head : heads) {
            mac.update(Hex.decode(head, Block.HASH_BYTES, "head"));
        }
        return Hex.encode(mac.doFinal());
    }

    public boolean matches(String seal, long count, List<String> heads) {
        return Hex.isHex(seal, 32) && heads.stream().allMatch(h -> Hex.isHex(h, Block.HASH_BYTES))
                && MessageDigest.isEqual(Hex.decode(seal, 32, "seal"), Hex.decode(compute(count, heads), 32, "seal"));
    }

    /**
     * A keyed 64-bit fingerprint of one message row (or of what a ledger row says it must be). The
     * validation sums these over both tables in storage order: equal sums say the projection matches
     * without sorting either table, and nobody without the node key can edit rows so the sums still agree.
     */
    public long projection(OrderKey key, String author, long timestamp, String text) {
        return projection(key.orderTs(), key.height(), Hex.decode(key.hash(), Block.HASH_BYTES, "hash"),
                Hex.decode(author, Block.KEY_BYTES, "author"), timestamp, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same over decoded fields: hash and author 32 bytes each, text UTF-8. */
    public long projection(long orderTs, long height, byte[] hash, byte[] author, long timestamp, byte[] textUtf8) {
        mac.update(PROJECTION);
        input.clear();
        input.putLong(orderTs).putLong(height).putLong(timestamp);
        mac.update(input.array(), 0, 3 * Long.BYTES);
        mac.update(hash, 0, Block.HASH_BYTES);
        mac.update(author, 0, Block.KEY_BYTES);
        lengthPrefixed(textUtf8);
        return ByteBuffer.wrap(mac.doFinal()).getLong();
    }

    private void lengthPrefixed(byte[] bytes) {
        input.clear();
        input.putInt(bytes.length);
        mac.update(input.array(), 0, Integer.BYTES);
        mac.update(bytes);
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
