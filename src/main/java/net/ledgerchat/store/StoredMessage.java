package net.ledgerchat.store;

import java.time.Instant;
import java.util.Objects;
import net.ledgerchat.ledger.OrderKey;

/** A message as read back from the projection, with its place in the ledger order. */
public record StoredMessage(String id, OrderKey key, String author, String sender, Instant timestamp, String text) {
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(text, "text");
    }
}
