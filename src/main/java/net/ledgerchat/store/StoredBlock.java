package net.ledgerchat.store;

import java.util.Objects;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;

/**
 * A block with the order key it was stored under; for a message, how it was shown when stored (else null); and
 * whether it counted then (DESIGN section 7): only a block that counts is gossiped onward.
 */
public record StoredBlock(Block block, OrderKey key, Shown shown, boolean counts) {
    public StoredBlock {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(key, "key");
    }

    /** A block read back, whose showing is not asked. */
    public StoredBlock(Block block, OrderKey key) {
        this(block, key, null, true);
    }
}
