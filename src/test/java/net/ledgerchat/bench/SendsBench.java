package net.ledgerchat.bench;

import net.ledgerchat.it.support.HttpJson;

/**
 * Section 2 of the node benchmark: persisted sends per second on a fresh node, first from the JDK's HTTP
 * client, then from lean clients on the warm node, then what the target asks of the machine
 * ({@link SendBudget}).
 */
final class SendsBench {
    static final double SEND_TARGET = 2_000;
    static final String SECTION = "2. Sends";
    /**
     * The lean row's warm-up on the node the JDK clients warmed: C2 still took 8-32% of the node's CPU after 60 s of
     * lean-client load (docs/benchmarks-log.md, 4 December, late night), so 10 s measured the compiler as much as the node.
     */
    private static final double LEAN_WARMUP_SECONDS = 30;
    /** Between the lean windows the node is warm: a few seconds let the new connections and groups settle. */
    private static final double SWEEP_WARMUP_SECONDS = 5;

    /**
     * One load and what it cost over its {@code seconds} (warm-up included): {@code nodeMs}, {@code clientMs} are
     * CPU milliseconds per answered request.
     */
    record Measured(SendLoad.Result result, double seconds, double nodeCores, double clientCores, double nodeMs,
                    double clientMs) {
    }

    private final Report report;
    private final BenchOptions options;
    private final int cores;
    private final MachineLimits.Result limits;
    private final NodeContext.OtherCpuReport others;

    SendsBench(NodeContext ctx) {
        this.report = ctx.report();
        this.options = ctx.options();
        this.cores = ctx.cores();
        this.limits = ctx.limits();
        this.others = ctx.others();
    }

    /** Runs {@code client}'s load on {@code node} and charges the CPU both sides used to the requests answered. */
    static Measured measure(NodeProcess node, SendLoad.Client client, int clients, double warmup, double seconds)
            throws InterruptedException {
        long t0 = System.nanoTime();
        double nodeCpu0 = node.cpuSeconds();
        long benchCpu0 = NodeBenchmark.processCpuNanos();
        SendLoad.Result r = SendLoad.run(node.base(), clients, warmup, seconds, client);
        double wall = (System.nanoTime() - t0) / 1e9;
        double nodeCpu = node.cpuSeconds() - nodeCpu0;
        double benchCpu = (NodeBenchmark.processCpuNanos() - benchCpu0) / 1e9;
        long answered = Math.max(1, r.sent() + r.warmupSent());
        return new Measured(r, wall, nodeCpu / wall, benchCpu / wall, nodeCpu * 1000 / answered, benchCpu * 1000 / answered);
    }

    /** Runs the section on {@code node}, a fresh node; the budget still needs the stopped node's file. */
    SendBudget run(NodeProcess node) throws Exception {
        String s = SECTION;
        // Taken when the measured window opens, so JIT warm-up weighs less in it.
        var windowOpened = ThreadCpu.takeAfter(node.pid(), options.warmupSeconds());
        OtherCpu.Snapshot othersFrom = OtherCpu.take(node.pid());
        Measured jdk = measure(node, SendLoad.Client.JDK, options.clients(), options.warmupSeconds(), options.sendSeconds());
        SendLoad.Result r = jdk.result();
        OtherCpu.Snapshot othersTo = OtherCpu.take(node.pid());
        ThreadCpu.Snapshot windowClosed = ThreadCpu.take(node.pid());
        // Read once, after the load (the fresh node committed nothing before it), so no other request runs during it.
        CommitMetrics commits = CommitMetrics.read(node.http());
        double nodeCores = jdk.nodeCores();
        double benchCores = jdk.clientCores();
        // Not where the target is judged: the JDK client's threads take a quarter of the 2 cores, and the fresh
        // node's compiler still about a third of its CPU (docs/benchmarks-log.md, 4 December, late night).
        report.add(s, "persisted sends (HTTP 201), " + options.clients() + " JDK clients, fresh node, "
                + Report.num(r.seconds(), 0) + " s window", Report.num(r.perSecond(), 0), "sends/s");
        int tail = Math.max(1, (int) Math.floor(r.seconds() / 3));
        report.add(s, "persisted sends, last " + tail + " s of the window (node warm)", Report.num(r.lastSecondsRate(tail), 0),
                "sends/s");
        System.out.println("    sends completed per second of the window: "
                + java.util.Arrays.toString(java.util.Arrays.copyOf(r.secondBuckets(), (int) Math.floor(r.seconds()))));
        report.add(s, "sends counted (201 inside the window)", Report.num(r.sent()), "");
        report.add(s, "errors (non-201 or failed requests)", Report.num(r.errors())
                + (r.errorKinds().isEmpty() ? "" : " " + r.errorKinds()), "");
        report.add(s, "send latency p50", Report.num(r.percentileMillis(50), 2), "ms");
        report.add(s, "send latency p99", Report.num(r.percentileMillis(99), 2), "ms");
        report.add(s, "send latency max", Report.num(r.maxMillis(), 1), "ms");
        report.add(s, "CPU used by the node during the load", Report.num(nodeCores, 2), "of " + cores + " cores");
        report.add(s, "CPU used by the " + options.clients() + " load clients (this JVM)", Report.num(benchCores, 2), "of " + cores + " cores");
        if (r.sent() + r.warmupSent() > 0) {
            report.add(s, "node CPU per persisted send (warm-up + window)", Report.num(jdk.nodeMs(), 2), "ms");
        }
        report.add(s, "group commit over warm-up and window (the node's /metrics)",
                commits.describeSince(CommitMetrics.NONE, jdk.seconds()), "");
        String byThread = ThreadCpu.describe(windowOpened.join(), windowClosed, 5);
        if (!byThread.isEmpty()) {
            report.add(s, "node CPU by thread in the window", byThread, "");
        }
        others.record(s, "the load", othersFrom, othersTo);
        double signCeiling = limits.signPerSec();
        report.add(s, "ceiling from Ed25519 signing alone (1 thread)", Report.num(signCeiling, 0), "sends/s");
        report.add(s, "ceiling from Ed25519 signing alone (all " + cores + " cores, nothing else running)",
                Report.num(signCeiling * cores, 0), "sends/s");
        if (r.perSecond() < SEND_TARGET) {
            report.note("The fresh node with JDK clients: " + Report.num(r.perSecond(), 0) + " sends/s. It used "
                    + Report.num(nodeCores, 2) + " of " + cores + " cores, the clients " + Report.num(benchCores, 2)
                    + "; about " + Report.num(jdk.nodeMs(), 1) + " ms of node CPU per send, JIT included, of which one"
                    + " Ed25519 signature is " + Report.num(1000 / limits.signPerSec(), 2) + " ms. The target is judged"
                    + " on the warm node with lean clients, below.");
        }
        SendBudget budget = new SendBudget(report, cores, SEND_TARGET, 1000 / limits.signPerSec());
        leanSends(s, node, budget);
        budget.measureContainerFloor(node, options.clients(), options.sendSeconds());
        HttpJson.Reply status = node.http().get("/api/ledger");
        if (status.status() == 200) {
            report.add(s, "blocks in the ledger after the load (incl. warm-up)",
                    Report.num(status.json().getJsonNumber("blocks").longValue()), "blocks");
        }
        report.add(s, "node heap after the load", NodeMetrics.read(node.http()).describeHeap(), "");
        return budget;
    }

    /**
     * The same load once more on the now warm node, from lean clients (a kept-alive socket each, written and read
     * on the sending thread, as wrk does): the JDK client's own threads and hand-offs share the node's 2 cores
     * and add to every request's round trip, so this is nearer what the node itself can persist. Then with more
     * senders at once: each waits for its block's commit, so 16 closed-loop senders leave the one writer's groups
     * small and part of the cores idle; the node's rate is judged with the most senders.
     */
    private void leanSends(String s, NodeProcess node, SendBudget budget) throws Exception {
        Measured most = null;
        int mostClients = 0;
        for (int i = 0; i < options.leanClients().size(); i++) {
            int clients = options.leanClients().get(i);
            double warmup = Math.min(i == 0 ? LEAN_WARMUP_SECONDS : SWEEP_WARMUP_SECONDS, options.warmupSeconds());
            Measured m = leanWindow(s, node, clients, warmup, budget, i == 0);
            if (clients > mostClients) {
                most = m;
                mostClients = clients;
            }
        }
        // The window with the most senders, not the best window: the highest of several noisy rates would flatter.
        // It must have no failed send.
        SendLoad.Result r = most.result();
        report.addTarget(s, "persisted sends, warm node, " + mostClients + " lean senders at once (the most of "
                        + options.leanClients() + ")" + (r.errors() == 0 ? "" : ", with failed sends"),
                Report.num(r.perSecond(), 0), "sends/s", ">= " + Report.num(SEND_TARGET, 0) + " sends/s",
                r.errors() == 0 && r.perSecond() >= SEND_TARGET);
    }

    private Measured leanWindow(String s, NodeProcess node, int clients, double warmup, SendBudget budget, boolean first)
            throws Exception {
        CommitMetrics commits0 = CommitMetrics.read(node.http());
        var windowOpened = ThreadCpu.takeAfter(node.pid(), warmup);
        Measured m = measure(node, SendLoad.Client.LEAN, clients, warmup, options.sendSeconds());
        ThreadCpu.Snapshot windowClosed = ThreadCpu.take(node.pid());
        CommitMetrics commits1 = CommitMetrics.read(node.http());
        if (first) {
            budget.sendsWere(m, commits1.meanGroupSince(commits0));
        }
        SendLoad.Result r = m.result();
        String who = "lean clients, " + clients + " at once";
        report.add(s, "the same with " + clients + " lean HTTP/1.1 clients (kept-alive socket, no client threads), "
                + Report.num(warmup, 0) + " s more warm-up", Report.num(r.perSecond(), 0), "sends/s");
        int tail = Math.max(1, (int) Math.floor(r.seconds() / 3));
        report.add(s, "  " + who + ": last " + tail + " s of the window", Report.num(r.lastSecondsRate(tail), 0), "sends/s");
        report.add(s, "  " + who + ": errors", Report.num(r.errors()) + (r.errorKinds().isEmpty() ? "" : " " + r.errorKinds()), "");
        report.add(s, "  " + who + ": send latency p50 / p99", Report.num(r.percentileMillis(50), 2) + " / "
                + Report.num(r.percentileMillis(99), 2), "ms");
        report.add(s, "  " + who + ": CPU used by the node / by the clients", Report.num(m.nodeCores(), 2)
                + " / " + Report.num(m.clientCores(), 2), "of " + cores + " cores");
        report.add(s, "  " + who + ": group commit (warm-up and window)", commits1.describeSince(commits0, m.seconds()), "");
        String byThread = ThreadCpu.describe(windowOpened.join(), windowClosed, 5);
        if (!byThread.isEmpty()) {
            report.add(s, "  " + who + ": node CPU by thread in the window", byThread, "");
        }
        return m;
    }
}
