package net.ledgerchat.config;

/** A setting that cannot be used; the message is the one line a person reads to fix it. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
