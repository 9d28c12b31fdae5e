package net.ledgerchat.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last {@code capacity} hashes added, oldest forgotten first; safe for any thread. */
public final class RecentHashes {
    private final Map<String, Boolean> recent;

    public RecentHashes(int capacity) {
        this.recent = new LinkedHashMap<>(capacity, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void add(String hash) {
        recent.put(hash, Boolean.TRUE);
    }

    public synchronized boolean contains(String hash) {
        return recent.containsKey(hash);
    }

    public synchronized void clear() {
        recent.clear();
    }
}
