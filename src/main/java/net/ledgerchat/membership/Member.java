package net.ledgerchat.membership;

import java.time.Instant;
import java.util.Objects;
import net.ledgerchat.ledger.Rank;

/** A member as the group's counting blocks make it: key, the name in its admit, rank, and when it was admitted. */
public record Member(String key, String name, Rank rank, Instant joined) {
    public Member {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rank, "rank");
        Objects.requireNonNull(joined, "joined");
    }
}
