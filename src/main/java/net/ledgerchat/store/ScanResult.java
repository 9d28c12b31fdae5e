package net.ledgerchat.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What one validation scan found: rows read, problems (the first {@link LedgerScanner#MAX_LISTED}), and how long it took. */
public record ScanResult(long blocks, List<Problem> problems, long problemCount, Duration took) {
    public ScanResult {
        problems = List.copyOf(problems);
        Objects.requireNonNull(took, "took");
    }

    public boolean valid() {
        return problemCount == 0;
    }
}
