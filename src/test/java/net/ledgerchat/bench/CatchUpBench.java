package net.ledgerchat.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.config.Database;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.store.NodeKeyFile;

/**
 * Catch-up: node A founded a group at its first start and holds N blocks (bulk-loaded into its stopped H2 file by
 * {@link LedgerLoader}: a chain of real message blocks signed with A's key, after the genesis); node B starts on an
 * empty data directory with A in its peers file and an invite A made for it (A's invite block, then the admit A
 * writes when B presents it: B lacks N + 2 blocks). Measured from link-up (the moment B logs "[TCP] Linked with",
 * which follows the handshake and, for a joining node, A's admit; B asks for what it lacks right then) until B's
 * {@code GET /api/ledger} shows A's count and heads, polled every {@value #POLL_MS} ms. The time from B's process start is printed too. Several N show whether the cost grows
 * linearly with what is missing. Each N goes to a fresh B, whose JVM is cold: on two cores the JIT takes much of
 * its CPU for the first tens of seconds, a fixed cost that bends the time ratio of two sizes; so the last B is
 * kept running for {@link WarmCatchUpBench}, which times further catch-ups by that warm B.
 */
final class CatchUpBench {
    static final String SECTION = "5. Catch-up";
    static final double TARGET = 20_000;
    static final long POLL_MS = 25;
    static final String LINKED = "[TCP] Linked with";
    /** Rates of two sizes within this factor of each other count as linear growth of the time. */
    private static final double LINEAR_SLACK = 1.25;

    private final PeerContext ctx;

    CatchUpBench(PeerContext ctx) {
        this.ctx = ctx;
    }

    /** One size's outcome: blocks caught up, seconds from link-up, blocks/s over the second half (NaN if unknown). */
    record Run(long blocks, double seconds, double secondHalfRate) {
        double rate() {
            return blocks / seconds;
        }
    }

    /**
     * Node A: its plan (the same ports every start), its data directory, what the loader signs with, the group A
     * founded and A's name there (the founder's name in the genesis, which the loaded message rows carry).
     */
    record Source(PeerNodes.Plan plan, Path dir, NodeIdentity identity, String groupId, String name) {
        /** Appends to A's stopped H2 file until it holds {@code n} blocks, and reports the loader's rate. */
        void loadTo(PeerContext ctx, long n) throws Exception {
            LedgerLoader.Result load = LedgerLoader.appendUntil(dir, identity, groupId, name, n, ctx.cores());
            if (load.added() > 0) {
                ctx.report().add(SECTION, "node A bulk load to " + Report.num(n) + " blocks (JDBC batches of "
                        + LedgerLoader.CHUNK + ", not the node)", Report.num(load.blocksPerSecond(), 0), "blocks/s");
            }
        }
    }

    /** A cold run's outcome; {@code a} and {@code b} are still running when the run was asked to keep them. */
    private record Outcome(Run run, NodeProcess a, NodeProcess b) {
    }

    void run() throws Exception {
        Report report = ctx.report();
        PeerNodes nodes = ctx.nodes();
        PeerNodes.Plan planA = PeerNodes.plan(List.of("catchup-a"), List.of(List.of())).get(0);
        // A first boot creates the schema and A's key, which the loader signs with, and founds the group (A's name
        // in it is its CLIENT_NAME, the founder's name in the genesis).
        NodeProcess a = nodes.startFresh(List.of(planA)).get(0);
        jakarta.json.JsonObject info = a.http().get("/api/node").json();
        String groupId = info.getString("groupId");
        String founderName = info.getString("name");
        a.stop();
        Path aDir = nodes.dataDir(planA.name());
        StorageLimits.Result storage = StorageLimits.measure(new Database.H2(aDir.toAbsolutePath()).file(),
                ctx.benchDir().resolve("data").resolve("storage-scratch"), 2, 50);
        report.add(SECTION, "ceiling: H2 alone stores (node schema, WRITE_DELAY=0, JDBC, one commit per block)",
                Report.num(storage.perBlockCommit(), 0), "blocks/s");
        report.add(SECTION, "ceiling: H2 alone stores (the same, one commit per " + storage.batch() + " blocks)",
                Report.num(storage.perBatchCommit(), 0), "blocks/s");
        report.add(SECTION, "ceiling: H2 alone stores (the same, one commit per " + StorageLimits.LARGEST_GROUP
                + " blocks: the writer's largest group)", Report.num(storage.perLargestGroup(), 0), "blocks/s");
        report.add(SECTION, "ceiling: Ed25519 verify (Bouncy Castle), 1 thread / all " + ctx.cores() + " cores",
                Report.num(ctx.verifyOne(), 0) + " / " + Report.num(ctx.verifyAll(), 0), "blocks/s");
        // Every block caught up is verified and stored on B, while A reads and sends it on the same machine.
        double verifyCores = TARGET * ctx.cores() / ctx.verifyAll();
        double storeCores = TARGET * storage.coreSecondsPerBlock();
        report.add(SECTION, "cores " + Report.num(TARGET, 0) + " blocks/s needs for these two alone (Ed25519 verify + H2"
                        + " at its best rate above; nothing else, not A), of the " + ctx.cores() + " here",
                Report.num(verifyCores, 2) + " + " + Report.num(storeCores, 2) + " = "
                        + Report.num(verifyCores + storeCores, 2), "cores");
        Source source = new Source(planA, aDir, NodeKeyFile.loadOrCreate(aDir.resolve("node.key")).identity(), groupId,
                founderName);
        List<Long> sizes = ctx.options().catchUpSizes();
        boolean warm = !ctx.options().catchUpWarmSizes().isEmpty();
        List<Run> runs = new ArrayList<>();
        Outcome kept = null;
        try {
            for (int i = 0; i < sizes.size(); i++) {
                long n = sizes.get(i);
                source.loadTo(ctx, n);
                // The last B has caught up (and warmed up) on what A holds: the warm runs go on with it.
                Outcome outcome = catchUp(planA, n, warm && i == sizes.size() - 1);
                runs.add(outcome.run());
                kept = outcome.b() != null ? outcome : kept;
            }
            if (runs.size() >= 2) {
                Run small = runs.get(0);
                Run big = runs.get(runs.size() - 1);
                addLinearity(report, "cold B (a fresh JVM each, so its JIT warm-up is in both times): ", small, big);
                // The whole time includes a fixed cost (a cold node, the plan before the first batch): the warm
                // rates of the two sizes say whether the cost per block grows with what is missing (unknown when B
                // had caught up before its API answered, so no tenth was seen).
                if (!Double.isNaN(small.secondHalfRate()) && !Double.isNaN(big.secondHalfRate())) {
                    report.add(SECTION, "cold B: second-half rate " + Report.num(big.blocks()) + " / "
                            + Report.num(small.blocks()) + " blocks (1.0 = cost per block independent of what is missing)",
                            Report.num(big.secondHalfRate() / small.secondHalfRate(), 2), "");
                }
            }
            if (kept != null) {
                new WarmCatchUpBench(ctx, source, storage).run(kept.a(), kept.b());
            }
        } finally {
            if (kept != null) {
                kept.b().stop();
                kept.a().stop();
            }
        }
    }

    /** A target row: the time ratio of two runs against their size ratio, within {@link #LINEAR_SLACK}. */
    static void addLinearity(Report report, String who, Run small, Run big) {
        double ratio = big.seconds() / small.seconds();
        double sizes = (double) big.blocks() / small.blocks();
        boolean linear = ratio <= sizes * LINEAR_SLACK && ratio >= sizes / LINEAR_SLACK;
        report.addTarget(SECTION, who + "time ratio " + Report.num(big.blocks()) + " / " + Report.num(small.blocks())
                        + " blocks (linear = " + Report.num(sizes, 1) + ")", Report.num(ratio, 2), "",
                "within " + Report.num((LINEAR_SLACK - 1) * 100, 0) + "% of " + Report.num(sizes, 1), linear);
    }

    /**
     * Times a fresh B joining A's group and catching up A's {@code n} blocks and the invite and admit that let B in;
     * {@code keep}: both nodes are left running for the caller.
     */
    private Outcome catchUp(PeerNodes.Plan planA, long n, boolean keep) throws Exception {
        Report report = ctx.report();
        PeerNodes nodes = ctx.nodes();
        String s = SECTION;
        NodeProcess a = nodes.start(List.of(planA)).get(0);
        NodeProcess b = null;
        boolean handedOver = false;
        try {
            LedgerState loaded = LedgerState.of(a.http());
            if (loaded.blocks() != n) {
                throw new BenchFailure("node A holds " + loaded.blocks() + " blocks, expected " + n);
            }
            // B joins the group as any new node does: with an invite a member (A) made for it.
            String invite = PeerNodes.invite(a);
            long admitted = n + 2;
            PeerNodes.Plan planB = PeerNodes.plan(List.of("catchup-b-" + n), List.of(List.of())).get(0);
            planB = new PeerNodes.Plan(planB.name(), planB.webPort(), planB.tcpPort(), List.of(planA.tcpPort()));
            NodeBenchmark.deleteTree(nodes.dataDir(planB.name()));
            ThreadCpu.Snapshot aCpu0 = ThreadCpu.take(a.pid());
            double aSeconds0 = a.cpuSeconds();
            OtherCpu.Snapshot others0 = OtherCpu.take(a.pid());
            Instant spawned = Instant.now();
            b = nodes.spawn(planB, invite);
            b.awaitReady(ctx.startTimeout());
            double bSecondsReady = b.cpuSeconds();
            Instant ready = Instant.now();
            // What B must hold: A's ledger once A has stored B's admit (A writes nothing else meanwhile).
            LedgerState target = awaitBlocks(a, admitted, ctx.options().stallSeconds(), b);
            long missing = target.blocks();
            System.out.println("  catch-up of " + Report.num(missing) + " blocks (" + Report.num(n) + " loaded, A's invite"
                    + " and its admit of B): A " + target.shortHeads());
            boolean doneBeforeApi = target.equals(LedgerState.of(b.http()));
            List<Instant> tenths = new ArrayList<>();
            Instant converged = doneBeforeApi ? Instant.now()
                    : await(b, target, 0, missing, tenths, ctx.options().stallSeconds());
            OtherCpu.Snapshot others1 = OtherCpu.take(a.pid(), b.pid());
            double aCores = (a.cpuSeconds() - aSeconds0);
            String aThreads = ThreadCpu.describe(aCpu0, ThreadCpu.take(a.pid()), 4);
            double bAfterReady = b.cpuSeconds() - bSecondsReady;
            ThreadSched.Snapshot bReader = ThreadSched.take(b.pid(), "peer-read");
            ThreadSched.Snapshot aReader = ThreadSched.take(a.pid(), "peer-read");
            Instant linked = PeerNodes.logTime(b, LINKED).orElseThrow(
                    () -> new BenchFailure("node B never logged '" + LINKED + "' but holds A's ledger?"));
            // Both link threads started at link-up: their counters cover exactly link-up to converged.
            ThreadSched.Snapshot atLink = new ThreadSched.Snapshot(bReader.nanos()
                    - Duration.between(linked, converged).toNanos(), java.util.Map.of());
            double seconds = Duration.between(linked, converged).toNanos() / 1e9;
            System.out.println("    seconds after link-up when B held each tenth: " + tenths.stream()
                    .map(t -> Report.num(Duration.between(linked, t).toMillis() / 1000.0, 1)).reduce((x, y) -> x + " " + y)
                    .orElse("(all before B's API answered)"));
            double fromStart = Duration.between(spawned, converged).toNanos() / 1e9;
            String label = "catch-up of " + Report.num(missing) + " missing blocks by a joining B (link-up after A's admit"
                    + " -> B shows A's count and heads)";
            report.addTarget(s, label, Report.num(missing / seconds, 0) + " (" + Report.num(seconds, 2) + " s)",
                    "blocks/s", ">= " + Report.num(TARGET, 0) + " blocks/s", missing / seconds >= TARGET);
            report.add(s, "  the same from B's process start (boot " + Report.num(
                    Duration.between(spawned, linked).toMillis() / 1000.0, 1) + " s to link-up)",
                    Report.num(fromStart, 1), "s");
            double secondHalfRate = Double.NaN;
            if (tenths.size() == 9) {
                secondHalfRate = (missing - missing * 5 / 10)
                        / (Duration.between(tenths.get(4), converged).toNanos() / 1e9);
                report.add(s, "  rate over the second half (B warm)", Report.num(secondHalfRate, 0), "blocks/s");
            }
            report.add(s, "  B's link reader thread (stores what A sends)", ThreadSched.describe(atLink, bReader), "");
            report.add(s, "  A's link reader thread (answers, then takes B's echoes)", ThreadSched.describe(atLink, aReader), "");
            double perBlock = ThreadSched.runSeconds(atLink, bReader) / missing;
            // One thread stores what a link brings, so its CPU per block caps the rate even on an idle machine.
            if (perBlock > 0) {
                report.add(s, "  B's link reader CPU per block stored (so at most 1/that per link, idle machine)",
                        Report.num(perBlock * 1000, 2) + " ms (" + Report.num(1 / perBlock, 0) + " blocks/s)", "");
            }
            if (doneBeforeApi) {
                report.note("B had caught up " + Report.num(missing) + " blocks before its API answered: the time is an upper"
                        + " bound.");
            }
            report.add(s, "  node A CPU from B's start to converged (" + Report.num(
                    Duration.between(spawned, converged).toMillis() / 1000.0, 1) + " s)", Report.num(aCores, 1)
                    + " s; by thread: " + aThreads, "");
            double afterReadySeconds = Duration.between(ready, converged).toNanos() / 1e9;
            if (afterReadySeconds > 1) {
                report.add(s, "  node B CPU from its API answering to converged", Report.num(bAfterReady / afterReadySeconds, 2),
                        "of " + ctx.cores() + " cores");
            }
            report.add(s, "  CPU used by other processes meanwhile", Report.num(OtherCpu.otherCores(others0, others1), 2),
                    "of " + ctx.cores() + " cores");
            double quiet = untilQuiet(a, b);
            report.add(s, "  A and B still busy after B converged (B's copies of every block echoed to A)",
                    Report.num(quiet, 1), "s");
            ctx.profile(s, "  B (receiving, " + Report.num(missing) + ")", b, linked, converged, missing);
            ctx.profile(s, "  A (answering, " + Report.num(missing) + ")", a, linked, converged, missing);
            handedOver = keep;
            return new Outcome(new Run(missing, seconds, secondHalfRate), keep ? a : null, keep ? b : null);
        } finally {
            if (!handedOver) {
                if (b != null) {
                    b.stop();
                }
                a.stop();
            }
        }
    }

    /**
     * Polls B until it shows the target, noting when each tenth of the {@code n} blocks it lacked (it held
     * {@code from}) was there; fails if B stops making progress for {@code stallSeconds}.
     */
    static Instant await(NodeProcess b, LedgerState target, long from, long n, List<Instant> tenths,
                         double stallSeconds) throws Exception {
        long stallNanos = (long) (stallSeconds * 1e9);
        long lastBlocks = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            LedgerState state = LedgerState.of(b.http());
            long now = System.nanoTime();
            if (state.equals(target)) {
                return Instant.now();
            }
            while (tenths.size() < 9 && state.blocks() - from >= n * (tenths.size() + 1) / 10) {
                tenths.add(Instant.now());
            }
            if (state.blocks() != lastBlocks) {
                lastBlocks = state.blocks();
                lastProgress = now;
            } else if (now - lastProgress > stallNanos || !b.alive()) {
                throw new BenchFailure("catch-up stalled: B holds " + Report.num(state.blocks()) + " of "
                        + Report.num(target.blocks()) + " blocks (" + state.shortHeads() + "; A " + target.shortHeads()
                        + ") and stored nothing for " + Report.num(stallSeconds, 0) + " s; B's log ends with:\n"
                        + b.tail(30));
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * A's ledger once it holds {@code blocks} blocks (its admit of the joining {@code b} stored), polled every
     * {@value #POLL_MS} ms; fails if that takes over {@code stallSeconds} or A holds more.
     */
    private static LedgerState awaitBlocks(NodeProcess a, long blocks, double stallSeconds, NodeProcess b)
            throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            LedgerState state = LedgerState.of(a.http());
            if (state.blocks() == blocks) {
                return state;
            }
            if (state.blocks() > blocks || System.nanoTime() - t0 > stallSeconds * 1e9 || !b.alive()) {
                throw new BenchFailure("node A holds " + Report.num(state.blocks()) + " blocks, expected "
                        + Report.num(blocks) + " once it admitted B; B's log ends with:\n" + b.tail(30));
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Seconds until neither node uses more than a twentieth of a core over a second (at most two minutes). */
    static double untilQuiet(NodeProcess... nodes) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 120e9) {
            double before = 0;
            for (NodeProcess n : nodes) {
                before += n.cpuSeconds();
            }
            Thread.sleep(1000);
            double after = 0;
            for (NodeProcess n : nodes) {
                after += n.cpuSeconds();
            }
            if (after - before < 0.05 * nodes.length) {
                return Math.max(0, (System.nanoTime() - t0) / 1e9 - 1);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
