package net.ledgerchat.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up by a node B that is already running and warm: the last B of {@link CatchUpBench}, which has caught up
 * on all A held. For each increment M: A is stopped, M more blocks are appended to its H2 file, A is restarted on
 * the same ports, and the time runs from B's next {@code [TCP] Linked with} line (B dials A again by itself) until
 * B shows A's new count and heads. B keeps running throughout, so its JIT has compiled the storing path and the
 * time is what the blocks cost, without a fresh JVM's warm-up; B's ledger grows from one increment to the next.
 *
 * <p>B is frozen (SIGSTOP) while A is down, loaded and restarted. Otherwise B's redial, every second doubling to
 * 16 s, would land at a random point of A's boot: A's peer listener opens while the application still deploys,
 * and A validates its whole ledger 2 s later, so part of A's start-up would fall into the timed window. Resumed
 * (SIGCONT) once A is ready and quiet, B sees its old link closed and dials A about a second later.
 */
final class WarmCatchUpBench {
    private final PeerContext ctx;
    private final CatchUpBench.Source source;
    private final StorageLimits.Result storage;
    /** The node A now running (restarted for each increment); stopped on the way out. */
    private NodeProcess a;

    WarmCatchUpBench(PeerContext ctx, CatchUpBench.Source source, StorageLimits.Result storage) {
        this.ctx = ctx;
        this.source = source;
        this.storage = storage;
    }

    /** Runs every increment with {@code a} and {@code b} linked, quiet and holding the same ledger. */
    void run(NodeProcess a, NodeProcess b) throws Exception {
        this.a = a;
        List<CatchUpBench.Run> runs = new ArrayList<>();
        try {
            for (long m : ctx.options().catchUpWarmSizes()) {
                runs.add(increment(b, m));
            }
        } finally {
            this.a.stop();
        }
        if (runs.size() >= 2) {
            CatchUpBench.addLinearity(ctx.report(), "warm B (one running JVM, its ledger growing): ", runs.get(0),
                    runs.get(runs.size() - 1));
        }
    }

    /** What restarting A left: its new ledger, how many link-ups B had logged, B's counters when it was resumed. */
    private record Resumed(LedgerState target, int linksBefore, Instant at, double bCpu,
                           ThreadSched.Snapshot bThreads) {
    }

    private CatchUpBench.Run increment(NodeProcess b, long m) throws Exception {
        Report report = ctx.report();
        String s = CatchUpBench.SECTION;
        LedgerState before = LedgerState.of(b.http());
        // Only A gets new blocks, so B never holds one A lacks; this checks that the previous run really ended equal.
        if (!before.equals(LedgerState.of(a.http()))) {
            throw new BenchFailure("before the warm catch-up B shows " + Report.num(before.blocks()) + " blocks, "
                    + before.shortHeads() + ", A " + LedgerState.of(a.http()).shortHeads());
        }
        long held = before.blocks();
        Resumed resumed = restartA(b, held, held + m);
        LedgerState target = resumed.target();
        // CPU is counted from link-up, as the time is (give or take a poll): not what B does while it waits to redial.
        Instant seen = awaitNewLink(b, resumed.linksBefore());
        double bCpu0 = b.cpuSeconds();
        double aCpu0 = a.cpuSeconds();
        ThreadCpu.Snapshot aThreads0 = ThreadCpu.take(a.pid());
        OtherCpu.Snapshot others0 = OtherCpu.take(a.pid(), b.pid());
        List<Instant> tenths = new ArrayList<>();
        Instant converged = CatchUpBench.await(b, target, held, m, tenths, ctx.options().stallSeconds());
        OtherCpu.Snapshot others1 = OtherCpu.take(a.pid(), b.pid());
        double bCpu = b.cpuSeconds() - bCpu0;
        double aCpu = a.cpuSeconds() - aCpu0;
        ThreadSched.Snapshot bReader = ThreadSched.take(b.pid(), "peer-read");
        String aThreads = ThreadCpu.describe(aThreads0, ThreadCpu.take(a.pid()), 4);
        Instant linked = linkUp(b, resumed.linksBefore(), resumed.at(), m);
        double seconds = Duration.between(linked, converged).toNanos() / 1e9;
        double window = Duration.between(seen, converged).toNanos() / 1e9;
        System.out.println("    B linked " + Report.num(Duration.between(resumed.at(), linked).toMillis() / 1000.0, 2)
                + " s after it was resumed (using " + Report.num(bCpu0 - resumed.bCpu(), 2) + " s of CPU meanwhile);"
                + " seconds after link-up when B held each tenth: " + tenths.stream()
                .map(t -> Report.num(Duration.between(linked, t).toMillis() / 1000.0, 1)).reduce((x, y) -> x + " " + y)
                .orElse("(none seen)"));
        double rate = m / seconds;
        report.addTarget(s, "warm catch-up of " + Report.num(m) + " more blocks (B running since the cold run, held "
                        + Report.num(held) + "; link-up -> B shows A's count and heads)",
                Report.num(rate, 0) + " (" + Report.num(seconds, 2) + " s)", "blocks/s",
                ">= " + Report.num(CatchUpBench.TARGET, 0) + " blocks/s", rate >= CatchUpBench.TARGET);
        report.add(s, "  share of this machine's ceilings above: Ed25519 verify on all " + ctx.cores()
                        + " cores / H2 alone, one commit per " + storage.batch() + " blocks / per block",
                percentOf(rate, ctx.verifyAll()) + " / " + percentOf(rate, storage.perBatchCommit()) + " / "
                        + percentOf(rate, storage.perBlockCommit()), "");
        if (tenths.size() == 9) {
            double secondHalf = (m - m * 5 / 10) / (Duration.between(tenths.get(4), converged).toNanos() / 1e9);
            report.add(s, "  rate over the second half", Report.num(secondHalf, 0), "blocks/s");
        }
        // Every thread's counters at the resume, so only what the reader did since counts (nothing before link-up).
        ThreadSched.Snapshot atLink = new ThreadSched.Snapshot(bReader.nanos()
                - Duration.between(linked, converged).toNanos(), resumed.bThreads().times());
        report.add(s, "  B's link reader thread (stores what A sends)", ThreadSched.describe(atLink, bReader), "");
        double readerPerBlock = ThreadSched.runSeconds(atLink, bReader) / m;
        if (readerPerBlock > 0) {
            report.add(s, "  B's link reader CPU per block stored (so at most 1/that per link, idle machine)",
                    Report.num(readerPerBlock * 1000, 2) + " ms (" + Report.num(1 / readerPerBlock, 0)
                            + " blocks/s)", "");
        }
        report.add(s, "  node B CPU per block, whole process (link, verifiers, writer, JIT, GC)",
                Report.num(bCpu / m * 1000, 3) + " ms (" + Report.num(bCpu / window, 2) + " of " + ctx.cores()
                        + " cores)", "");
        report.add(s, "  node A CPU from link-up to converged (A restarted for this run: its JIT is cold)",
                Report.num(aCpu, 1) + " s; by thread: " + aThreads, "");
        report.add(s, "  CPU used by other processes meanwhile", Report.num(OtherCpu.otherCores(others0, others1), 2),
                "of " + ctx.cores() + " cores");
        report.add(s, "  A and B still busy after B converged (B's copies of every block echoed to A)",
                Report.num(CatchUpBench.untilQuiet(a, b), 1), "s");
        ctx.profile(s, "  warm B (receiving, " + Report.num(m) + ")", b, linked, converged, m);
        ctx.profile(s, "  A (answering, " + Report.num(m) + ")", a, linked, converged, m);
        return new CatchUpBench.Run(m, seconds, Double.NaN);
    }

    /** With B frozen: stops A, appends until A holds {@code total} blocks, restarts it, waits until it is idle. */
    private Resumed restartA(NodeProcess b, long held, long total) throws Exception {
        try (Frozen frozen = Frozen.freeze(b)) {
            // Counted while B is frozen: the link-up to time is the first line after this count.
            int linksBefore = PeerNodes.logTimes(frozen.node(), CatchUpBench.LINKED).size();
            a.stop();
            source.loadTo(ctx, total);
            a = ctx.nodes().start(List.of(source.plan())).get(0);
            // The first GET /api/ledger also runs A's first validation if its timer has not yet.
            LedgerState target = LedgerState.of(a.http());
            if (target.blocks() != total) {
                throw new BenchFailure("node A holds " + target.blocks() + " blocks, expected " + total);
            }
            double quiet = CatchUpBench.untilQuiet(a);
            System.out.println("  warm catch-up of " + Report.num(total - held) + " blocks (B holds " + Report.num(held)
                    + "): A " + target.shortHeads() + ", restarted in " + Report.num(a.startup().toMillis() / 1000.0, 1)
                    + " s, quiet " + Report.num(quiet, 1) + " s later; resuming B");
            // Every thread of B: the pooled thread that will read the new link may still have another name now.
            return new Resumed(target, linksBefore, Instant.now(), b.cpuSeconds(), ThreadSched.take(b.pid(), ""));
        }
    }

    /** Waits until B has logged more than {@code before} link-ups, and returns when it saw that. */
    private Instant awaitNewLink(NodeProcess b, int before) throws IOException, InterruptedException, BenchFailure {
        long deadline = System.nanoTime() + (long) (ctx.options().stallSeconds() * 1e9);
        while (PeerNodes.logTimes(b, CatchUpBench.LINKED).size() <= before) {
            if (System.nanoTime() > deadline || !b.alive()) {
                throw new BenchFailure("node B did not link with A again within " + Report.num(ctx.options()
                        .stallSeconds(), 0) + " s of its resume; its log ends with:\n" + b.tail(30));
            }
            Thread.sleep(CatchUpBench.POLL_MS);
        }
        return Instant.now();
    }

    /**
     * B's first link-up after it was resumed: the line after the {@code before} it had logged while frozen,
     * stamped no earlier than the resume (a stale line would time the wrong link).
     */
    private Instant linkUp(NodeProcess b, int before, Instant resumed, long m) throws IOException, BenchFailure {
        List<Instant> links = PeerNodes.logTimes(b, CatchUpBench.LINKED);
        if (links.size() <= before) {
            throw new BenchFailure("node B holds A's ledger but logged no new '" + CatchUpBench.LINKED + "'");
        }
        Instant linked = links.get(before);
        if (linked.isBefore(resumed.truncatedTo(ChronoUnit.MILLIS))) {
            throw new BenchFailure("node B's link-up line after its resume is stamped " + linked
                    + ", before the resume " + resumed);
        }
        if (links.size() > before + 1) {
            ctx.report().note("B linked with A " + (links.size() - before) + " times during the warm catch-up of "
                    + Report.num(m) + " blocks (a link dropped); the time runs from the first.");
        }
        return linked;
    }

    private static String percentOf(double rate, double ceiling) {
        return Report.num(100 * rate / ceiling, 0) + "% of " + Report.num(ceiling, 0);
    }

    /** A node stopped with SIGSTOP until closed (SIGCONT): its threads, dialler included, do nothing meanwhile. */
    private record Frozen(NodeProcess node) implements AutoCloseable {
        static Frozen freeze(NodeProcess node) throws IOException, InterruptedException {
            signal(node, "STOP");
            return new Frozen(node);
        }

        @Override
        public void close() throws IOException {
            try {
                signal(node, "CONT");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException thrown = new InterruptedIOException("interrupted while resuming node "
                        + node.pid() + " (kill -CONT was started, so it is most likely running)");
                thrown.initCause(e);
                throw thrown;
            }
        }

        /** Java has no API for SIGSTOP and SIGCONT: the {@code kill} command sends them. */
        private static void signal(NodeProcess node, String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid()))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(30, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IOException("kill -" + signal + " " + node.pid() + " did not finish within 30 s");
            }
            if (kill.exitValue() != 0) {
                throw new IOException("kill -" + signal + " " + node.pid() + " exited with " + kill.exitValue() + ": "
                        + out.strip());
            }
        }
    }
}
