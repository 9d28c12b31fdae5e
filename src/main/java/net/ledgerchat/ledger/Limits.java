package net.ledgerchat.ledger;

import java.time.Duration;
import java.util.Objects;

/** The bounds a block must keep to be accepted; chosen by configuration, enforced by {@link BlockVerifier}. */
public record Limits(int maxMessageBytes, int maxSenderBytes, int maxParents, Duration maxClockSkew) {
    public static final Limits DEFAULT = new Limits(16_384, 256, 64, Duration.ofMinutes(5));

    public Limits {
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxMessageBytes < 1 || maxSenderBytes < 1 || maxParents < 1 || maxClockSkew.isNegative()
                || maxClockSkew.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("limits must be positive and the clock skew at most a day");
        }
    }
}
