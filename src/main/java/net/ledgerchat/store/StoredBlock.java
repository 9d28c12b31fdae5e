package net.ledgerchat.store;

import java.util.Objects;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;

/** A block with the order key it was stored under. */
public record StoredBlock(Block block, OrderKey key) {
    public StoredBlock {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(key, "key");
    }
}
