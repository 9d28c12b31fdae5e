package net.ledgerchat.store;

import java.util.Objects;

/** One thing a validation found wrong; {@code block} names the block when it is known, else null. */
public record Problem(Kind kind, String block, String detail) {
    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** What kind of damage; the repair issue acts on these. */
    public enum Kind {
        /** A ledger row's fields no longer hash to its hash, or its derived columns changed. */
        EDITED,
        /** A ledger row this node never sealed: inserted or with a replaced signature. */
        FORGED,
        /** A ledger row whose values are not even well-formed. */
        MALFORMED,
        /** Blocks the sealed digest counts are gone. */
        MISSING,
        /** The message projection differs from the ledger. */
        PROJECTION,
        /** The parent-link index differs from the parents the blocks name. */
        LINKS,
        /** The sealed count and digest themselves were changed. */
        DIGEST,
        /** The database could not be read at all. */
        UNREADABLE
    }
}
