package net.ledgerchat.ledger;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which blocks are in another block's past, from the ledger's parent links alone. A parent is always lower than
 * its child, so a walk down from the descendant never needs to go below the lowest block it looks for: its cost
 * is the number of blocks between the two heights that are the descendant's ancestors, not the ledger's size.
 * Strong remove asks this rarely (whether a member's block precedes its removal), so no reachability is stored.
 */
public final class Ancestry {
    /** A stored block as the walk needs it: its height and its parents. */
    public record Links(long height, List<String> parents) {
        public Links {
            parents = List.copyOf(parents);
        }
    }

    /** Looks a block up by hash; null when it is not stored. */
    @FunctionalInterface
    public interface Index {
        Links links(String hash);
    }

    private final Index index;

    public Ancestry(Index index) {
        this.index = index;
    }

    public boolean isAncestor(String ancestor, String descendant) {
        return !ancestorsAmong(List.of(ancestor), descendant).isEmpty();
    }

    /** Those of {@code candidates} that are in {@code descendant}'s past, found in one walk. */
    public Set<String> ancestorsAmong(Collection<String> candidates, String descendant) {
        Set<String> wanted = new HashSet<>();
        long lowest = Long.MAX_VALUE;
        for (String candidate : candidates) {
            Links links = index.links(candidate);
            if (links != null && !candidate.equals(descendant)) {
                wanted.add(candidate);
                lowest = Math.min(lowest, links.height());
            }
        }
        Set<String> found = new HashSet<>();
        Links start = index.links(descendant);
        if (wanted.isEmpty() || start == null) {
            return found;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(start.parents());
        while (!next.isEmpty() && found.size() < wanted.size()) {
            String hash = next.pop();
            if (!seen.add(hash)) {
                continue;
            }
            Links links = index.links(hash);
            if (links == null || links.height() < lowest) {
                continue;
            }
            if (wanted.contains(hash)) {
                found.add(hash);
            }
            next.addAll(links.parents());
        }
        return found;
    }
}
