package net.ledgerchat.chat;

/** The membership rules do not let this node do what was asked (DESIGN section 7); the message names the rule. */
public final class MembershipRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public MembershipRefusedException(String message) {
        super(message);
    }
}
