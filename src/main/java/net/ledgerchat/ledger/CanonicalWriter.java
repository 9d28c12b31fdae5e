package net.ledgerchat.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the one byte form a signed structure is hashed over: fixed-width integers big-endian, fixed-size
 * binary fields as their bytes, and every variable-length field length-prefixed, so no two different values
 * share an encoding. {@link CanonicalReader} reads exactly this back.
 */
final class CanonicalWriter {
    private final ByteArrayOutputStream out;

    CanonicalWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
    }

    CanonicalWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    CanonicalWriter u8(int value) {
        out.write(value);
        return this;
    }

    CanonicalWriter u32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    CanonicalWriter i64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    /** A fixed-size binary field given as lower-case hex. */
    CanonicalWriter hex(String hex, int bytes, String what) {
        return raw(Hex.decode(hex, bytes, what));
    }

    /** A length-prefixed byte string. */
    CanonicalWriter bytes(byte[] bytes) {
        return u32(bytes.length).raw(bytes);
    }

    /** A length-prefixed UTF-8 string. */
    CanonicalWriter text(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
