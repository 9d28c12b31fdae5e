package net.ledgerchat.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the last repair did: rows removed as damaged, message rows written again, parent links put
 * right, whether the sealed digest was put back, the blocks asked of peers and those restored so far.
 */
public record RepairReport(Instant startedAt, List<String> removed, List<String> rebuiltMessages, int linksRepaired,
                           boolean digestRestored, List<String> requested, List<String> restored) {
    public RepairReport {
        Objects.requireNonNull(startedAt, "startedAt");
        removed = List.copyOf(removed);
        rebuiltMessages = List.copyOf(rebuiltMessages);
        requested = List.copyOf(requested);
        restored = List.copyOf(restored);
    }

    /** Asked of peers and not restored yet. */
    public List<String> outstanding() {
        List<String> left = new ArrayList<>(requested);
        left.removeAll(restored);
        return left;
    }

    /** The same report after a peer sent one of the requested blocks back. */
    public RepairReport withRestored(String hash) {
        if (!requested.contains(hash) || restored.contains(hash)) {
            return this;
        }
        List<String> now = new ArrayList<>(restored);
        now.add(hash);
        return new RepairReport(startedAt, removed, rebuiltMessages, linksRepaired, digestRestored, requested, now);
    }

    public boolean changedAnything() {
        return !removed.isEmpty() || !rebuiltMessages.isEmpty() || linksRepaired > 0 || digestRestored
                || !requested.isEmpty();
    }
}
