package net.ledgerchat.ledger;

import java.util.Locale;

/**
 * A member's standing in a group, lowest first: founder &gt; admin &gt; member (DESIGN section 7). Nobody
 * removes or demotes someone of equal or higher rank.
 */
public enum Rank {
    MEMBER(1),
    ADMIN(2),
    FOUNDER(3);

    private final int code;

    Rank(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean outranks(Rank other) {
        return compareTo(other) > 0;
    }

    public boolean atLeast(Rank other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Rank ofCode(int code) {
        for (Rank rank : values()) {
            if (rank.code == code) {
                return rank;
            }
        }
        throw new IllegalArgumentException("unknown rank " + code);
    }

    public static Rank ofWireName(String name) {
        for (Rank rank : values()) {
            if (rank.wireName().equals(name)) {
                return rank;
            }
        }
        throw new IllegalArgumentException("unknown rank '" + name + "': expected member, admin or founder");
    }
}
