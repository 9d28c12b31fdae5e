package net.ledgerchat.chat;

import java.util.List;
import net.ledgerchat.store.StoredBlock;

/** Fired after a transaction committed new blocks (this node's own or from peers), in ledger commit order. */
public record BlocksStored(List<StoredBlock> blocks) {
    public BlocksStored {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no blocks stored");
        }
    }
}
