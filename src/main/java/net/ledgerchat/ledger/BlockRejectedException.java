package net.ledgerchat.ledger;

import java.util.Objects;

/** A block failed verification; {@link #reason()} says which rule, the message says what exactly. */
public final class BlockRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public BlockRejectedException(RejectReason reason, String detail) {
        super(reason.description() + ": " + Objects.requireNonNull(detail, "detail"));
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
