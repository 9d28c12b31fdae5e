package net.ledgerchat.chat;

import java.util.List;
import java.util.Optional;

/** Block count, sorted head hashes and the latest validation (empty until the first one ran). */
public record LedgerStatus(long blocks, List<String> heads, Optional<ValidationReport> validation) {
    public LedgerStatus {
        heads = List.copyOf(heads);
    }
}
