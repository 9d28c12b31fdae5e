package net.ledgerchat.chat;

/** A request the node will not carry out as asked; the message says why, for the person who sent it. */
public final class RequestRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RequestRefusedException(String message) {
        super(message);
    }
}
