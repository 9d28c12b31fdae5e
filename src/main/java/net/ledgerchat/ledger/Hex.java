package net.ledgerchat.ledger;

import java.util.HexFormat;

/** Lower-case hex, the one text form of hashes, keys and signatures on disk and on the wire. */
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
}
