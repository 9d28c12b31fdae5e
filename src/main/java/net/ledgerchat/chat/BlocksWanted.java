package net.ledgerchat.chat;

import java.util.Set;

/** Fired when a repair needs blocks back from peers: peer links ask for them at once rather than at the next sync. */
public record BlocksWanted(Set<String> hashes) {
    public BlocksWanted {
        hashes = Set.copyOf(hashes);
    }
}
