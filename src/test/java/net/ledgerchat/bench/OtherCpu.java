package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was with work that is not the benchmark: all CPU time the kernel counts
 * ({@code /proc/stat}) minus this JVM's and the benchmarked node's. Other engineers' builds and
 * tests on a shared machine show up here. NaN where there is no /proc.
 */
final class OtherCpu {
    /** Kernel tick counts at one moment: all busy CPU, this JVM, and the given node processes. */
    record Snapshot(long nanos, long busy, long self, long nodes) {
    }

    private OtherCpu() {
    }

    static Snapshot take(long... nodePids) {
        long nodes = 0;
        for (long pid : nodePids) {
            nodes += processTicks(Path.of("/proc", Long.toString(pid), "stat"), false);
        }
        // This JVM's own ticks include its reaped children (stopped nodes, jcmd): cutime and cstime.
        return new Snapshot(System.nanoTime(), busyTicks(), processTicks(Path.of("/proc/self/stat"), true), nodes);
    }

    /** Average number of cores that other processes kept busy between the snapshots. */
    static double otherCores(Snapshot from, Snapshot to) {
        if (from.busy() < 0 || to.busy() < 0) {
            return Double.NaN;
        }
        long others = (to.busy() - from.busy()) - (to.self() - from.self()) - (to.nodes() - from.nodes());
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        return Math.max(0, others) / (double) TICKS_PER_SECOND / seconds;
    }

    /** USER_HZ: 100 on every mainstream Linux build. */
    static final int TICKS_PER_SECOND = 100;

    private static long busyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long processTicks(Path stat, boolean withChildren) {
        try {
            String s = Files.readString(stat);
            String[] rest = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
            return withChildren ? own + Long.parseLong(rest[13]) + Long.parseLong(rest[14]) : own;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
