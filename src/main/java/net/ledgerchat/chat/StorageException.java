package net.ledgerchat.chat;

/** The database refused or failed a write; nothing of the block was stored. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
