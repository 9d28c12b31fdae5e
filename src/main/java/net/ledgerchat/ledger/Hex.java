package net.ledgerchat.ledger;

import java.util.HexFormat;

/**
 * Lower-case hex, the one text form of hashes, keys and signatures: on the wire, in the domain, in the node key
 * file and the sealed digest. The ledger tables store the bytes themselves (see the store package).
 */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Decodes exactly {@code bytes} bytes; anything else (wrong length, upper case, junk) is refused. */
    public static byte[] decode(String text, int bytes, String what) {
        if (!isHex(text, bytes)) {
            throw new IllegalArgumentException(what + " must be " + (bytes * 2) + " lower-case hex characters");
        }
        return HEX.parseHex(text);
    }

    public static boolean isHex(String text, int bytes) {
        if (text == null || text.length() != bytes * 2) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes exactly {@code bytes} bytes of lower-case hex from {@code text}, starting at character
     * {@code from}, into {@code out} at {@code at}; false (and {@code out} partly written) for anything
     * else. Allocates nothing: for scans that decode millions of fields.
     */
    public static boolean decodeInto(String text, int from, int bytes, byte[] out, int at) {
        if (text == null || text.length() < from + bytes * 2) {
            return false;
        }
        for (int i = 0; i < bytes; i++) {
            int hi = nibble(text.charAt(from + 2 * i));
            int lo = nibble(text.charAt(from + 2 * i + 1));
            if ((hi | lo) < 0) {
                return false;
            }
            out[at + i] = (byte) ((hi << 4) | lo);
        }
        return true;
    }

    /** Decodes {@code text} when it is exactly {@code into.length} bytes of lower-case hex. */
    public static boolean decodeInto(String text, byte[] into) {
        return text != null && text.length() == into.length * 2 && decodeInto(text, 0, into.length, into, 0);
    }

    private static int nibble(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
