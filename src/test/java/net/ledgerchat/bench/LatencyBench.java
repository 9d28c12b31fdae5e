package net.ledgerchat.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.ledgerchat.it.support.HttpJson;

/**
 * Send on one node, stored on another: two fresh linked nodes (B dials A). After a warm-up burst, one client
 * sends on A through {@code POST /api/messages} at a steady rate, each send one after the other (so the
 * blocks form a chain and B's block count says exactly which are stored). A poller on B calls
 * {@code GET /api/ledger} back to back (pausing {@code --poll-ms}); block i is stored on B at the end of
 * the first poll that counts it. Latency = that moment minus the moment the send on A began. The poll
 * cycle is the resolution: each figure is late by at most one cycle.
 */
final class LatencyBench {
    static final String SECTION = "6. Send -> stored";
    private static final double P50_TARGET_MS = 5;
    private static final double P99_TARGET_MS = 25;

    private final PeerContext ctx;

    LatencyBench(PeerContext ctx) {
        this.ctx = ctx;
    }

    /** What the poller on B saw: when each poll answered and the count it showed. */
    private static final class Poller extends Thread {
        private final HttpJson http;
        private final long pauseNanos;
        private volatile boolean running = true;
        private long[] times = new long[1 << 16];
        private long[] counts = new long[1 << 16];
        private int n;
        private RuntimeException failure;

        Poller(String base, double pauseMillis) {
            super("bench-poller");
            this.http = new HttpJson(base);
            this.pauseNanos = (long) (pauseMillis * 1e6);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    long blocks = LedgerState.of(http).blocks();
                    long at = System.nanoTime();
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                        counts = Arrays.copyOf(counts, n * 2);
                    }
                    times[n] = at;
                    counts[n++] = blocks;
                    if (pauseNanos > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** The first poll answered at or after {@code from} that shows at least {@code blocks}, or -1. */
        long firstShowing(long blocks, long from) {
            for (int i = 0; i < n; i++) {
                if (times[i] >= from && counts[i] >= blocks) {
                    return times[i];
                }
            }
            return -1;
        }

        long[] cycles(long from) {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                if (times[i - 1] >= from) {
                    gaps.add(times[i] - times[i - 1]);
                }
            }
            return gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        void finish() throws InterruptedException {
            running = false;
            join(10_000);
            if (failure != null) {
                throw failure;
            }
        }
    }

    void run() throws Exception {
        Report report = ctx.report();
        PeerOptions o = ctx.options();
        List<PeerNodes.Plan> plans = PeerNodes.plan(List.of("latency-a", "latency-b"), List.of(List.of(), List.of(0)));
        List<NodeProcess> both = ctx.nodes().startFresh(plans);
        NodeProcess a = both.get(0);
        NodeProcess b = both.get(1);
        try {
            PeerNodes.awaitLinked(List.of(b), 1, java.time.Duration.ofSeconds(60));
            Poller poller = new Poller(b.base(), o.pollMillis());
            poller.start();
            if (o.latencyWarmupSeconds() > 0) {
                SendLoad.Result warm = SendLoad.run(a.base(), 4, 0, o.latencyWarmupSeconds());
                System.out.println("    warm-up: " + Report.num(warm.sent()) + " sends on A by 4 clients in "
                        + Report.num(o.latencyWarmupSeconds(), 0) + " s");
            }
            ClusterBench.awaitSame(List.of(a, b), 60);
            Thread.sleep(2_000);
            long base = LedgerState.of(b.http()).blocks();
            int count = (int) Math.round(o.latencyRate() * o.latencySeconds());
            long period = (long) (1e9 / o.latencyRate());
            long[] began = new long[count];
            long[] acked = new long[count];
            HttpJson http = new HttpJson(a.base());
            MessageText texts = new MessageText(20);
            int late = 0;
            double aCpu0 = a.cpuSeconds();
            double bCpu0 = b.cpuSeconds();
            OtherCpu.Snapshot others0 = OtherCpu.take(a.pid(), b.pid());
            ThreadCpu.Snapshot bThreads0 = ThreadCpu.take(b.pid());
            ThreadSched.Snapshot bReader0 = ThreadSched.take(b.pid(), "peer-read");
            Instant from = Instant.now();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = t0 + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else if (wait < -5_000_000) {
                    late++;
                }
                began[i] = System.nanoTime();
                HttpJson.Reply reply = http.sendMessage(texts.next(i));
                acked[i] = System.nanoTime();
                if (reply.status() != 201) {
                    throw new BenchFailure("send " + i + " on A answered " + reply.status() + ": " + reply.body());
                }
            }
            ClusterBench.awaitSame(List.of(a, b), 60);
            ThreadSched.Snapshot bReader1 = ThreadSched.take(b.pid(), "peer-read");
            Instant to = Instant.now();
            double wall = (System.nanoTime() - t0) / 1e9;
            double aCpu = a.cpuSeconds() - aCpu0;
            double bCpu = b.cpuSeconds() - bCpu0;
            poller.finish();
            OtherCpu.Snapshot others1 = OtherCpu.take(a.pid(), b.pid());
            long[] stored = new long[count];
            long[] ack = new long[count];
            for (int i = 0; i < count; i++) {
                long seen = poller.firstShowing(base + i + 1, began[i]);
                if (seen < 0) {
                    throw new BenchFailure("B never showed send " + i + " (" + (base + i + 1) + " blocks)");
                }
                stored[i] = seen - began[i];
                ack[i] = acked[i] - began[i];
            }
            Arrays.sort(stored);
            Arrays.sort(ack);
            long[] cycles = poller.cycles(t0);
            String s = SECTION;
            report.add(s, "sends on A, one at a time", Report.num(count) + " at " + Report.num(o.latencyRate(), 0)
                    + "/s over " + Report.num(wall, 1) + " s (" + late + " started over 5 ms late)", "");
            report.add(s, "resolution: B's GET /api/ledger poll cycle p50 / p99", ms(cycles, 50) + " / " + ms(cycles, 99), "ms");
            report.addTarget(s, "send on A -> stored on B, p50", ms(stored, 50), "ms", "<= " + Report.num(P50_TARGET_MS, 0)
                    + " ms", pct(stored, 50) <= P50_TARGET_MS * 1e6);
            report.addTarget(s, "send on A -> stored on B, p99", ms(stored, 99), "ms", "<= " + Report.num(P99_TARGET_MS, 0)
                    + " ms", pct(stored, 99) <= P99_TARGET_MS * 1e6);
            report.add(s, "send on A -> stored on B, max", ms(stored, 100), "ms");
            report.add(s, "  of which A's own 201 (send round trip) p50 / p99 / max",
                    ms(ack, 50) + " / " + ms(ack, 99) + " / " + ms(ack, 100), "ms");
            report.add(s, "  CPU of A / B / other processes while sending", Report.num(aCpu / wall, 2)
                    + " / " + Report.num(bCpu / wall, 2) + " / "
                    + Report.num(OtherCpu.otherCores(others0, others1), 2), "of " + ctx.cores() + " cores");
            report.add(s, "  B's link reader thread (stores what A sends)", ThreadSched.describe(bReader0, bReader1), "");
            report.add(s, "  B's CPU by thread (the poller's GETs are the http threads)",
                    ThreadCpu.describe(bThreads0, ThreadCpu.take(b.pid()), 4), "");
            ctx.profile(s, "  A (sending)", a, from, to, count);
            ctx.profile(s, "  B (storing)", b, from, to, count);
        } finally {
            PeerNodes.stopAll(both);
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
    }

    private static String ms(long[] sorted, double p) {
        return Report.num(pct(sorted, p) / 1e6, 2);
    }
}
