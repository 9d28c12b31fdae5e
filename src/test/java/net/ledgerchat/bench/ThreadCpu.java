package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a process's CPU goes, by thread, from Linux {@code /proc/<pid>/task/<tid>/stat}: a snapshot
 * before and after a phase, grouped by thread name without its number ("GC Thread#1" and
 * "GC Thread#0" are one group). Also user versus kernel time. Empty where there is no /proc.
 */
final class ThreadCpu {
    /** CPU ticks (user, kernel) and name per thread id. */
    record Snapshot(Map<Long, long[]> ticks, Map<Long, String> names) {
        static final Snapshot NONE = new Snapshot(Map.of(), Map.of());
    }

    private ThreadCpu() {
    }

    /** A snapshot taken {@code seconds} from now, on a thread of its own (when a load's measured window opens). */
    static CompletableFuture<Snapshot> takeAfter(long pid, double seconds) {
        CompletableFuture<Snapshot> later = new CompletableFuture<>();
        Thread snap = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
                later.complete(take(pid));
            } catch (InterruptedException e) {
                later.complete(Snapshot.NONE);
                Thread.currentThread().interrupt();
            }
        }, "bench-thread-snapshot");
        snap.setDaemon(true);
        snap.start();
        return later;
    }

    static Snapshot take(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Snapshot.NONE;
        }
        Map<Long, long[]> ticks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] rest = stat.substring(close + 2).split(" ");
                    long tid = Long.parseLong(dir.getFileName().toString());
                    ticks.put(tid, new long[] {Long.parseLong(rest[11]), Long.parseLong(rest[12])});
                    names.put(tid, stat.substring(open + 1, close));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked: it is simply not counted
                }
            }
        } catch (IOException e) {
            return Snapshot.NONE;
        }
        return new Snapshot(ticks, names);
    }

    /** Share of the CPU used between the snapshots, by thread group, largest first; plus "(kernel)" as a share. */
    static String describe(Snapshot before, Snapshot after, int top) {
        Map<String, Long> byGroup = new HashMap<>();
        long total = 0;
        long kernel = 0;
        for (var e : after.ticks().entrySet()) {
            long[] was = before.ticks().getOrDefault(e.getKey(), new long[2]);
            long user = e.getValue()[0] - was[0];
            long sys = e.getValue()[1] - was[1];
            long used = user + sys;
            if (used <= 0) {
                continue;
            }
            total += used;
            kernel += sys;
            byGroup.merge(group(after.names().get(e.getKey())), used, Long::sum);
        }
        if (total == 0) {
            return "";
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byGroup.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        Map<String, Long> shown = new LinkedHashMap<>();
        long other = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < top) {
                shown.put(sorted.get(i).getKey(), sorted.get(i).getValue());
            } else {
                other += sorted.get(i).getValue();
            }
        }
        StringBuilder b = new StringBuilder();
        for (var e : shown.entrySet()) {
            b.append(e.getKey()).append(' ').append(Report.num(100.0 * e.getValue() / total, 0)).append("%, ");
        }
        if (other > 0) {
            b.append("other ").append(Report.num(100.0 * other / total, 0)).append("%, ");
        }
        b.append("(kernel time ").append(Report.num(100.0 * kernel / total, 0)).append("% of all)");
        return b.toString();
    }

    private static String group(String name) {
        if (name == null) {
            return "?";
        }
        String g = name.replaceAll("[#\\-_ ]?[0-9]+$", "").replaceAll("\\([0-9]*$", "").strip();
        if (g.startsWith("http-thread-po")) {
            return "http threads";
        }
        if (g.startsWith("GC Thread") || g.startsWith("G1 ")) {
            return "GC";
        }
        if (g.startsWith("C2 Compiler") || g.startsWith("C1 Compiler")) {
            return "JIT";
        }
        return g.isEmpty() ? name : g;
    }
}
