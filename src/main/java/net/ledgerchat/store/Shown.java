package net.ledgerchat.store;

import java.util.Objects;

/**
 * How a message is shown: whether it counts (DESIGN section 7, strong remove) and its author's name from the admit
 * that made the author a member. Neither is part of the block; both follow the membership and are set again
 * when it changes.
 */
public record Shown(boolean counts, String name) {
    public Shown {
        Objects.requireNonNull(name, "name");
    }
}
