package net.ledgerchat.membership;

import java.time.Instant;
import java.util.Objects;

/** An invite that may still admit someone: it counts, and nothing has used, revoked or outlived it. */
public record OpenInvite(String id, String author, Instant created, Instant expires) {
    public OpenInvite {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
    }
}
