package net.ledgerchat.chat;

import java.util.Objects;
import net.ledgerchat.store.StoredBlock;

/** Fired after a block a repair wanted was put back from a peer (it is not new: nothing to gossip). */
public record BlockRestored(StoredBlock stored) {
    public BlockRestored {
        Objects.requireNonNull(stored, "stored");
    }
}
