package net.ledgerchat.ledger;

import java.nio.charset.StandardCharsets;

/** The rules every text in a block keeps, whatever its format: faithful UTF-8, no NUL, within its byte bound. */
final class Texts {
    private Texts() {
    }

    /** Blank is more than white space: a text of only zero-width or no-break spaces shows as nothing too. */
    static boolean hasVisibleCharacter(String text) {
        return text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.CONTROL);
    }

    static void check(String text, String field, int maxBytes) throws BlockRejectedException {
        // A string with a lone surrogate has no faithful UTF-8 form: two different strings would share one hash.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new BlockRejectedException(RejectReason.MALFORMED, field + " contains a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BlockRejectedException(RejectReason.MALFORMED, field + " is not valid Unicode");
            }
        }
        if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new BlockRejectedException(RejectReason.FIELD_TOO_LONG, field + " is over " + maxBytes + " bytes of UTF-8");
        }
    }

    /** A name or message must show something. */
    static void checkVisible(String text, String field, int maxBytes, RejectReason blank) throws BlockRejectedException {
        check(text, field, maxBytes);
        if (!hasVisibleCharacter(text)) {
            throw new BlockRejectedException(blank, field + " is empty");
        }
    }
}
