package net.ledgerchat.peer;

import java.util.List;
import java.util.Objects;
import net.ledgerchat.ledger.OrderKey;

/** What sync needs to know about stored blocks: one lookup by hash (one indexed row read in the database). */
@FunctionalInterface
public interface BlockIndex {
    /** The block's order key and parents, or null when it is not stored. */
    Entry find(String hash);

    record Entry(OrderKey key, List<String> parents) {
        public Entry {
            Objects.requireNonNull(key, "key");
            parents = List.copyOf(parents);
        }
    }
}
