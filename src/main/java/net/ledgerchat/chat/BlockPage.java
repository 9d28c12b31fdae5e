package net.ledgerchat.chat;

import java.util.List;
import net.ledgerchat.store.StoredBlock;

/** Blocks in ledger order; {@code after} is the cursor to continue from (null for an empty ledger). */
public record BlockPage(List<StoredBlock> blocks, String after) {
    public BlockPage {
        blocks = List.copyOf(blocks);
    }
}
