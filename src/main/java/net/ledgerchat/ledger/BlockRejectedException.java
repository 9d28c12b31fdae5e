package net.ledgerchat.ledger;

import java.util.Objects;

/**
 * A block failed verification; {@link #reason()} says which rule, {@link #why()} what exactly in words a person who
 * sent it can act on, and the message adds which block (for logs).
 */
public final class BlockRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;
    private final String why;

    public BlockRejectedException(RejectReason reason, String detail) {
        super(reason.description() + ": " + Objects.requireNonNull(detail, "detail"));
        this.reason = reason;
        this.why = detail;
    }

    /** {@code why} for the person concerned, {@code block} naming the refused block for the log. */
    public BlockRejectedException(RejectReason reason, String why, String block) {
        super(reason.description() + ": " + Objects.requireNonNull(why, "why") + ": " + Objects.requireNonNull(block, "block"));
        this.reason = reason;
        this.why = why;
    }

    public RejectReason reason() {
        return reason;
    }

    /** What was wrong, without the block's identity: "invite revoked", "not a member", "timestamp too far...". */
    public String why() {
        return why;
    }
}
