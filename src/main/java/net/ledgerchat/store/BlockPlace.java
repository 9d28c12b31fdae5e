package net.ledgerchat.store;

import java.util.List;
import java.util.Objects;
import net.ledgerchat.ledger.OrderKey;

/** Where a stored block sits: its order key, and its membership context as the hashes of those membership blocks. */
public record BlockPlace(OrderKey key, List<String> context) {
    public BlockPlace {
        Objects.requireNonNull(key, "key");
        context = List.copyOf(context);
    }
}
