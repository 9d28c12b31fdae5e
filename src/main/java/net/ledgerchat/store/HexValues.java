package net.ledgerchat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import net.ledgerchat.ledger.Hex;

/**
 * Turns the text a hex-layout column held into what the binary layout stores. Well-formed text (exactly the
 * column's bytes in lower-case hex; for {@code parents} whole comma-joined hashes) becomes its bytes. Anything
 * else was damaged behind the node's back, and must stay damaged, visibly: it becomes a value one byte short of
 * the column's length, derived from the text (distinct texts stay distinct, so keys stay unique), which the
 * validation reports as malformed and the repair removes, as it would have the text.
 */
final class HexValues {
    private final MessageDigest sha512;
    private long malformed;

    HexValues() {
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }

    /** A fixed-length value: {@code bytes} bytes, or the marker of a malformed one. */
    byte[] fixed(String text, int bytes) {
        if (Hex.isHex(text, bytes)) {
            return Hex.decode(text, bytes, "value");
        }
        return marker(text, bytes - 1);
    }

    /** The comma-joined parents as their 32-byte hashes concatenated, or the marker of a malformed list. */
    byte[] parents(String text) {
        if (text != null && text.isEmpty()) {
            return new byte[0];
        }
        if (text == null || (text.length() + 1) % 65 != 0 || (text.length() + 1) / 65 > Tables.MAX_STORED_PARENTS) {
            return marker(text, Tables.HASH_BYTES - 1);
        }
        int count = (text.length() + 1) / 65;
        byte[] joined = new byte[count * Tables.HASH_BYTES];
        for (int i = 0; i < count; i++) {
            boolean separated = i == 0 || text.charAt(i * 65 - 1) == ',';
            if (!separated || !Hex.isHex(text.substring(i * 65, i * 65 + 64), Tables.HASH_BYTES)) {
                return marker(text, Tables.HASH_BYTES - 1);
            }
            Hex.decodeInto(text, i * 65, Tables.HASH_BYTES, joined, i * Tables.HASH_BYTES);
        }
        return joined;
    }

    /** How many values were not well formed. */
    long malformed() {
        return malformed;
    }

    private byte[] marker(String text, int length) {
        malformed++;
        byte[] digest = sha512.digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(digest, length);
    }
}
