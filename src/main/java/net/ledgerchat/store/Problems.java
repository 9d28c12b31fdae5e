package net.ledgerchat.store;

import java.util.ArrayList;
import java.util.List;

/** What a scan found, shared by its parallel passes: every problem counted, the first {@link #MAX_LISTED} kept. */
final class Problems {
    static final int MAX_LISTED = 100;
    private final List<Problem> listed = new ArrayList<>();
    private long count;

    synchronized void report(Problem.Kind kind, String block, String detail) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(new Problem(kind, block, detail));
        }
    }

    synchronized List<Problem> listed() {
        return List.copyOf(listed);
    }

    synchronized long count() {
        return count;
    }
}
