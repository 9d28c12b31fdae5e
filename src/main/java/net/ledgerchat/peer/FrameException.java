package net.ledgerchat.peer;

import java.util.Objects;

/** A frame refused before it reached anything else; the link answers with an ERROR frame naming the reason and closes. */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    /** Why a frame was refused; the names go on the wire in ERROR frames. */
    public enum Reason {
        OVERSIZE, TRUNCATED, INVALID_UTF8, MALFORMED, UNKNOWN_TYPE,
        /** The handshake: another protocol version, another group, a key a pin refuses, a proof that fails. */
        BAD_VERSION, WRONG_GROUP, KEY_REFUSED, UNAUTHENTICATED,
        /** A peer this node does not know as a member sent anything but an invite. */
        NOT_A_MEMBER
    }

    public FrameException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
