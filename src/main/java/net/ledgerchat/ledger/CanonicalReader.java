package net.ledgerchat.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link CanonicalWriter} wrote, refusing anything else: a short field, a length beyond what is
 * left or beyond the caller's bound, UTF-8 that is not well-formed, or bytes left over at the end. Every
 * failure is an {@link IllegalArgumentException} naming the field.
 */
final class CanonicalReader {
    private final byte[] in;
    private int at;

    CanonicalReader(byte[] in) {
        this.in = in;
    }

    private void need(int count, String what) {
        if (count < 0 || in.length - at < count) {
            throw new IllegalArgumentException(what + " is cut short");
        }
    }

    int u8(String what) {
        need(1, what);
        return in[at++] & 0xff;
    }

    int u32(String what) {
        need(4, what);
        int value = ByteBuffer.wrap(in, at, 4).getInt();
        at += 4;
        return value;
    }

    long i64(String what) {
        need(8, what);
        long value = ByteBuffer.wrap(in, at, 8).getLong();
        at += 8;
        return value;
    }

    byte[] raw(int count, String what) {
        need(count, what);
        byte[] out = new byte[count];
        System.arraycopy(in, at, out, 0, count);
        at += count;
        return out;
    }

    String hex(int count, String what) {
        return Hex.encode(raw(count, what));
    }

    byte[] bytes(int maxBytes, String what) {
        int length = u32(what + " length");
        if (length < 0 || length > maxBytes) {
            throw new IllegalArgumentException(what + " is over " + maxBytes + " bytes");
        }
        return raw(length, what);
    }

    /** A length-prefixed string of well-formed UTF-8 (a decoder that replaced bad bytes would make two encodings of one text). */
    String text(int maxBytes, String what) {
        byte[] utf8 = bytes(maxBytes, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not well-formed UTF-8", e);
        }
    }

    void end(String what) {
        if (at != in.length) {
            throw new IllegalArgumentException(what + " has " + (in.length - at) + " bytes left over");
        }
    }
}
