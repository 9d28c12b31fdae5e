package net.ledgerchat.chat;

import java.util.Objects;
import net.ledgerchat.store.StoredBlock;

/** Fired after a block's transaction committed: {@code local} when this node wrote it. */
public record BlockStored(StoredBlock stored, boolean local) {
    public BlockStored {
        Objects.requireNonNull(stored, "stored");
    }
}
