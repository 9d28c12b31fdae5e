package net.ledgerchat.chat;

import java.util.List;
import java.util.Optional;

/** Block count, sorted head hashes, the latest validation (empty until the first one ran) and the last repair. */
public record LedgerStatus(long blocks, List<String> heads, Optional<ValidationReport> validation,
                           Optional<RepairReport> repair) {
    public LedgerStatus {
        heads = List.copyOf(heads);
    }
}
