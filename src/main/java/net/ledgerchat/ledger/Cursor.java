package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque paging cursor handed to clients: a version byte and the binary order key, in
 * URL-safe base64. Clients never build one; anything that does not decode is refused.
 */
public final class Cursor {
    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 8 + 8 + Block.HASH_BYTES;

    private Cursor() {
    }

    public static String encode(OrderKey key) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.put(VERSION).putLong(key.orderTs()).putLong(key.height())
                .put(Hex.decode(key.hash(), Block.HASH_BYTES, "hash"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** @throws IllegalArgumentException with a message fit for the client when the cursor is not one of ours */
    public static OrderKey decode(String cursor) {
        byte[] raw;
        try {
            raw = cursor == null || cursor.length() > 128 ? null : Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != LENGTH || raw[0] != VERSION) {
            throw new IllegalArgumentException("invalid cursor");
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw, 1, LENGTH - 1);
        long orderTs = buffer.getLong();
        long height = buffer.getLong();
        byte[] hash = new byte[Block.HASH_BYTES];
        buffer.get(hash);
        if (orderTs < 0 || height < 0) {
            throw new IllegalArgumentException("invalid cursor");
        }
        return new OrderKey(orderTs, height, Hex.encode(hash));
    }
}
