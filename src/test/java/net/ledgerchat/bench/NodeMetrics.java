package net.ledgerchat.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.ledgerchat.it.support.HttpJson;

/**
 * Heap and GC figures from the node's {@code /metrics} (MicroProfile Metrics, Prometheus text).
 * Accepts the MicroProfile Metrics 5 names the node exposes ({@code memory_usedHeap_bytes{mp_scope="base"}},
 * {@code gc_time_seconds_total{name="G1 Young Generation"}}) and the 4.x names ({@code base_memory_usedHeap_bytes},
 * {@code base_gc_time_total_seconds}). A value the node does not expose is -1.
 */
record NodeMetrics(long usedHeap, long committedHeap, long maxHeap, long gcCount, double gcSeconds, String problem) {

    static NodeMetrics read(HttpJson http) {
        HttpJson.Reply reply;
        try {
            reply = http.get("/metrics");
        } catch (RuntimeException e) {
            return new NodeMetrics(-1, -1, -1, -1, -1, "GET /metrics failed: " + e);
        }
        if (reply.status() != 200) {
            return new NodeMetrics(-1, -1, -1, -1, -1, "GET /metrics answered " + reply.status());
        }
        Map<String, Double> values = parse(reply.body());
        long gcCount = -1;
        double gcSeconds = -1;
        for (var e : values.entrySet()) {
            String name = e.getKey();
            if (name.equals("gc_total") || name.equals("base_gc_total")) {
                gcCount = Math.max(0, gcCount) + e.getValue().longValue();
            } else if (name.startsWith("gc_time_seconds") || name.startsWith("base_gc_time")) {
                gcSeconds = Math.max(0, gcSeconds) + e.getValue();
            }
        }
        long used = find(values, "usedHeap");
        return new NodeMetrics(used, find(values, "committedHeap"), find(values, "maxHeap"), gcCount, gcSeconds,
                used < 0 ? "no memory_usedHeap_bytes in /metrics" : "");
    }

    boolean known() {
        return usedHeap >= 0;
    }

    /** Metric lines keyed by name plus labels (so the collectors of gc_total stay apart), values parsed. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String key = line.substring(0, space).strip();
            int brace = key.indexOf('{');
            String name = brace >= 0 ? key.substring(0, brace) : key;
            if (!(name.contains("Heap") || name.contains("gc_"))) {
                continue;
            }
            try {
                double value = Double.parseDouble(line.substring(space + 1));
                // gc metrics per collector: keep each labelled series, summed by the caller
                values.put(name.contains("gc_") ? name + "#" + key : name, value);
            } catch (NumberFormatException e) {
                // a line this parser does not understand: skip it
            }
        }
        Map<String, Double> named = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            int hash = k.indexOf('#');
            String name = hash >= 0 ? k.substring(0, hash) : k;
            named.merge(name, v, Double::sum);
        });
        return named;
    }

    private static long find(Map<String, Double> values, String what) {
        for (var e : values.entrySet()) {
            if (e.getKey().contains(what) && e.getKey().endsWith("bytes")) {
                return e.getValue().longValue();
            }
        }
        return -1;
    }

    String describeHeap() {
        if (!known()) {
            return "unknown (" + problem + ")";
        }
        return Report.mib(usedHeap) + " MiB used, " + Report.mib(committedHeap) + " MiB committed, max "
                + Report.mib(maxHeap) + " MiB";
    }

    /** Polls the heap while something runs, to catch the peak that a single reading afterwards would miss. */
    static final class PeakWatcher implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        PeakWatcher(HttpJson http, long intervalMillis) {
            thread = new Thread(() -> {
                while (running) {
                    NodeMetrics m = read(http);
                    if (m.known()) {
                        peak.accumulateAndGet(m.usedHeap(), Math::max);
                    }
                    try {
                        Thread.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
