package net.ledgerchat.chat;

import java.time.Instant;
import java.util.Objects;

/** An invite just made: its id (the invite block's hash), the code and link that carry its secret, its expiry. */
public record Invitation(String id, String code, String link, Instant expires) {
    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(expires, "expires");
    }

    /** The secret is in the code: never in a log line. */
    @Override
    public String toString() {
        return "Invitation[" + id + ", expires " + expires + "]";
    }
}
