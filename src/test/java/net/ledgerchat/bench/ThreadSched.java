package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How one kind of thread spent a phase, from Linux {@code /proc/<pid>/task/<tid>/schedstat}: nanoseconds on a
 * CPU and nanoseconds runnable but waiting for one. On a shared machine the second says how much of a thread's
 * time the other processes took; what is left of the wall time it was blocked (on a socket, a lock, the disk).
 */
final class ThreadSched {
    /** Per thread id: {on CPU, waiting for a CPU}, for threads whose name starts with the prefix. */
    record Snapshot(long nanos, Map<Long, long[]> times) {
    }

    private ThreadSched() {
    }

    static Snapshot take(long pid, String namePrefix) {
        Map<Long, long[]> times = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path dir : dirs) {
                try {
                    if (!Files.readString(dir.resolve("comm")).startsWith(namePrefix)) {
                        continue;
                    }
                    String[] f = Files.readString(dir.resolve("schedstat")).trim().split("\\s+");
                    times.put(Long.parseLong(dir.getFileName().toString()), new long[] {Long.parseLong(f[0]),
                            Long.parseLong(f[1])});
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked, or this kernel keeps no schedstat: it is not counted
                }
            }
        } catch (IOException e) {
            return new Snapshot(System.nanoTime(), Map.of());
        }
        return new Snapshot(System.nanoTime(), times);
    }

    /** Seconds on a CPU between the snapshots, summed over the matching threads. */
    static double runSeconds(Snapshot from, Snapshot to) {
        long run = 0;
        for (var e : to.times().entrySet()) {
            run += e.getValue()[0] - from.times().getOrDefault(e.getKey(), new long[2])[0];
        }
        return run / 1e9;
    }

    /**
     * "on a CPU 12.3 s, waiting for one 4.5 s, blocked 1.2 s of 18.0 s", summed over the matching threads that ran
     * at all: a pooled thread keeps the name its last task gave it, so idle ones are left out.
     */
    static String describe(Snapshot from, Snapshot to) {
        long run = 0;
        long wait = 0;
        int active = 0;
        double window = (to.nanos() - from.nanos()) / 1e9;
        for (var e : to.times().entrySet()) {
            long[] was = from.times().getOrDefault(e.getKey(), new long[2]);
            long ran = e.getValue()[0] - was[0];
            if (ran < window * 1e9 / 1000) {
                continue;
            }
            active++;
            run += ran;
            wait += e.getValue()[1] - was[1];
        }
        if (active == 0) {
            return "no such thread ran (or no /proc schedstat)";
        }
        double wall = window * active;
        return "on a CPU " + Report.num(run / 1e9, 1) + " s, runnable waiting for a CPU " + Report.num(wait / 1e9, 1)
                + " s, blocked " + Report.num(Math.max(0, wall - (run + wait) / 1e9), 1) + " s, of " + Report.num(wall, 1)
                + " s" + (active > 1 ? " (" + active + " threads)" : "");
    }
}
