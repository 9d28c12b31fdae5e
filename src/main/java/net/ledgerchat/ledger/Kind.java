package net.ledgerchat.ledger;

import java.util.Locale;

/**
 * What a format-2 block does (DESIGN section 7). The code is the byte the signed header carries; it never
 * changes once released, so a new kind takes a new code.
 */
public enum Kind {
    GENESIS(1),
    INVITE(2),
    REVOKE(3),
    ADMIT(4),
    REMOVE(5),
    ROLE(6),
    MESSAGE(7);

    private final int code;

    Kind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True for the kinds that change who belongs to the group, or may join it: the membership blocks. */
    public boolean isMembership() {
        return this != MESSAGE;
    }

    /** The name used on the wire and in the API: {@code genesis}, {@code invite}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Kind ofCode(int code) {
        for (Kind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown block kind " + code);
    }

    public static Kind ofWireName(String name) {
        for (Kind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown block kind '" + name + "'");
    }
}
