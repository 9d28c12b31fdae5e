package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * The unambiguous byte encoding a block hash is taken over. Every variable-length field is
 * length-prefixed and every fixed field has a fixed width, so no two different blocks share an
 * encoding (sender "ab" + message "c" is not sender "a" + message "bc"). The leading tag names
 * the format version, so a later format can never collide with this one.
 */
public final class BlockEncoding {
    private static final byte[] TAG = "ledgerchat/block/v1".getBytes(StandardCharsets.US_ASCII);

    private BlockEncoding() {
    }

    public static byte[] encode(String groupId, List<String> sortedParents, long height, String author,
                                String sender, Instant timestamp, String message) {
        byte[] group = groupId.getBytes(StandardCharsets.UTF_8);
        byte[] name = sender.getBytes(StandardCharsets.UTF_8);
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int size = TAG.length + 4 + group.length + 4 + sortedParents.size() * Block.HASH_BYTES + 8
                + Block.KEY_BYTES + 4 + name.length + 8 + 4 + text.length;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(TAG);
        out.putInt(group.length).put(group);
        out.putInt(sortedParents.size());
        for (String parent : sortedParents) {
            out.put(Hex.decode(parent, Block.HASH_BYTES, "parent hash"));
        }
        out.putLong(height);
        out.put(Hex.decode(author, Block.KEY_BYTES, "author"));
        out.putInt(name.length).put(name);
        out.putLong(timestamp.toEpochMilli());
        out.putInt(text.length).put(text);
        return out.array();
    }

    /**
     * The hash of fields already in their encoded forms: parents as concatenated 32-byte hashes in the
     * order stored, author as 32 bytes, sender and message as UTF-8. For the validation scan, which
     * decodes each row's fields once and must not re-sort what it read (a reordered parent list is
     * an edit too).
     */
    public static byte[] hash(MessageDigest sha256, byte[] groupUtf8, byte[] parents, int parentCount, long height,
                              byte[] author, byte[] senderUtf8, long timestamp, byte[] messageUtf8) {
        ByteBuffer head = ByteBuffer.allocate(TAG.length + 4 + groupUtf8.length + 4);
        head.put(TAG).putInt(groupUtf8.length).put(groupUtf8).putInt(parentCount);
        sha256.update(head.array());
        sha256.update(parents, 0, parentCount * Block.HASH_BYTES);
        ByteBuffer mid = ByteBuffer.allocate(8 + Block.KEY_BYTES + 4);
        mid.putLong(height).put(author, 0, Block.KEY_BYTES).putInt(senderUtf8.length);
        sha256.update(mid.array());
        sha256.update(senderUtf8);
        ByteBuffer tail = ByteBuffer.allocate(8 + 4);
        tail.putLong(timestamp).putInt(messageUtf8.length);
        sha256.update(tail.array());
        sha256.update(messageUtf8);
        return sha256.digest();
    }

    public static String hash(String groupId, List<String> sortedParents, long height, String author,
                              String sender, Instant timestamp, String message) {
        return Hex.encode(sha256().digest(
                encode(groupId, sortedParents, height, author, sender, timestamp, message)));
    }

    public static String hash(String groupId, Block block) {
        return hash(sha256(), groupId, block);
    }

    /** The same with a caller's own digest, for loops that hash many blocks on one thread. */
    public static String hash(MessageDigest sha256, String groupId, Block block) {
        return Hex.encode(sha256.digest(encode(groupId, block.parents(), block.height(), block.author(),
                block.sender(), block.timestamp(), block.message())));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
