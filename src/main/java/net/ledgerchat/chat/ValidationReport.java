package net.ledgerchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import net.ledgerchat.store.Problem;

/** The outcome of one validation of the whole ledger. */
public record ValidationReport(long blocks, List<Problem> problems, long problemCount, Instant validatedAt, Duration took) {
    public ValidationReport {
        problems = List.copyOf(problems);
        Objects.requireNonNull(validatedAt, "validatedAt");
        Objects.requireNonNull(took, "took");
    }

    public boolean valid() {
        return problemCount == 0;
    }
}
