package net.ledgerchat.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last {@code capacity} hashes added, oldest forgotten first; safe for any thread. */
final class RecentHashes {
    private final Map<String, Boolean> recent;

    RecentHashes(int capacity) {
        this.recent = new LinkedHashMap<>(capacity, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void add(String hash) {
        recent.put(hash, Boolean.TRUE);
    }

    synchronized boolean contains(String hash) {
        return recent.containsKey(hash);
    }
}
