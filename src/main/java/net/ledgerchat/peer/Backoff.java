package net.ledgerchat.peer;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * When to dial a peer again after the {@code attempt}-th failure in a row: {@code base}, doubling,
 * for {@code maxRetries} attempts (one round); after that, every {@link #cap()} for as long as the
 * node runs, so a peer that returns an hour later is found again. Each delay is spread by up to a
 * fifth either way, so nodes that lost the same peer do not all dial it in the same instant.
 */
public record Backoff(Duration base, int maxRetries) {
    /** However many retries a round has, a peer is tried at least this often. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    public Backoff {
        Objects.requireNonNull(base, "base");
        if (base.isNegative() || base.isZero() || maxRetries < 1) {
            throw new IllegalArgumentException("base must be positive and maxRetries at least 1");
        }
    }

    /** The delay after the last attempt of a round, and from then on. */
    public Duration cap() {
        long doublings = Math.min(maxRetries - 1, 30);
        Duration last = base.multipliedBy(1L << doublings);
        return last.compareTo(LONGEST) > 0 ? LONGEST : last;
    }

    /** The delay before the next try after {@code attempt} failures in a row (1 for the first failure). */
    public Duration after(int attempt, Random jitter) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1");
        }
        Duration plain = attempt > maxRetries ? cap() : base.multipliedBy(1L << Math.min(attempt - 1, 30));
        if (plain.compareTo(cap()) > 0) {
            plain = cap();
        }
        double spread = 0.8 + 0.4 * jitter.nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(plain.toMillis() * spread)));
    }
}
