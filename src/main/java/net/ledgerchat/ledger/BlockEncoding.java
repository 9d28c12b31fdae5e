package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes a block is named by, over fields already in their stored forms: the validation scan decodes each row
 * once and must not re-sort what it read (a reordered parent list is an edit too). The same bytes as
 * {@link Header#encode()} and {@link Body#digest()}, which {@code BlockEncodingTest} holds it to.
 */
public final class BlockEncoding {
    private static final byte[] TAG = Header.TAG.getBytes(StandardCharsets.US_ASCII);

    private BlockEncoding() {
    }

    /** SHA-256 of a canonical body encoding. */
    public static byte[] bodyDigest(MessageDigest sha256, byte[] body) {
        return sha256.digest(body);
    }

    /** The header hash of a block of group {@code group} (32 bytes, or none for the genesis), parents as stored. */
    public static byte[] headerHash(MessageDigest sha256, byte[] group, byte[] parents, int parentCount, long height,
                                    byte[] author, long timestamp, int kindCode, byte[] bodyDigest) {
        int groupLength = group.length;
        ByteBuffer head = ByteBuffer.allocate(TAG.length + 4 + groupLength + 4);
        head.put(TAG).putInt(groupLength).put(group).putInt(parentCount);
        sha256.update(head.array());
        sha256.update(parents, 0, parentCount * Block.HASH_BYTES);
        ByteBuffer tail = ByteBuffer.allocate(8 + Block.KEY_BYTES + 8 + 1 + Block.HASH_BYTES);
        tail.putLong(height).put(author, 0, Block.KEY_BYTES).putLong(timestamp).put((byte) kindCode)
                .put(bodyDigest, 0, Block.HASH_BYTES);
        sha256.update(tail.array());
        return sha256.digest();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
