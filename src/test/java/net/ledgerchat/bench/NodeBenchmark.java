package net.ledgerchat.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.store.NodeKeyFile;

/**
 * The node benchmark: {@code mvn -q -B -DskipTests package exec:java@bench} (see BENCHMARKS.md).
 *
 * <ol>
 *   <li>this machine's limits, in process: SHA-256, Ed25519 sign and verify, HMAC seals;</li>
 *   <li>persisted sends per second of a real node (the uber-jar, -Xmx512m) under 16 HTTP clients;</li>
 *   <li>full validation time of ledgers of 100,000 and 1,000,000 real signed blocks, bulk-loaded into the
 *       stopped node's H2 file, on a node restarted with -Xmx256m; the full signature pass on 100,000;</li>
 *   <li>where the validation time goes (the scanner run in process on the same file);</li>
 *   <li>a summary table, also as Markdown for BENCHMARKS.md.</li>
 * </ol>
 * A missed target is printed as MISS; it never fails the run. A node that does not start fails the
 * run with the tail of its log.
 */
public final class NodeBenchmark {
    static final String COMMAND = "mvn -q -B -DskipTests package exec:java@bench";
    private static final double SEND_TARGET = 2_000;
    private static final long VALIDATION_TARGET_BLOCKS = 1_000_000;
    private static final double VALIDATION_TARGET_MS = 3_000;
    /** Validation calls measured on the node as it is run, after its warm-up call. */
    private static final int PERIODIC_CALLS = 3;
    private static final double SIGNATURE_PASS_FACTOR = 2;
    private static final String SEND_HEAP = "512m";
    private static final String VALIDATION_HEAP = "256m";
    /** No -Xmx: the JVM's default heap, as the README's {@code java -jar target/chat-node.jar} starts a node. */
    private static final String DEFAULT_HEAP = null;

    private final BenchOptions options;
    private final PeerOptions peerOptions;
    private final Path jar;
    private final Path benchDir;
    private final Report report = new Report(System.out);
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Duration startTimeout;
    private MachineLimits.Result limits;
    private String groupId;
    private String nodeName;
    private NodeIdentity identity;
    /** The highest load other processes put on the machine in any measured phase, in cores. */
    private double busiestOthers;
    private String busiestPhase = "";

    private NodeBenchmark(BenchOptions options, PeerOptions peerOptions, Path jar, Path benchDir) {
        this.options = options;
        this.peerOptions = peerOptions;
        this.jar = jar;
        this.benchDir = benchDir;
        this.startTimeout = Duration.ofMillis((long) (options.startTimeoutSeconds() * 1000));
    }

    public static void main(String[] mainArgs) throws Exception {
        // -Dexec.args would also reach the pom's other exec executions (the uber-jar build) when "package" runs in
        // the same command, so options may come as -Dbench.args="..." instead (exec:java shares Maven's JVM).
        String extra = System.getProperty("bench.args", "").strip();
        String[] args = extra.isEmpty() ? mainArgs
                : java.util.stream.Stream.concat(java.util.Arrays.stream(mainArgs), java.util.Arrays.stream(extra.split("\\s+")))
                        .toArray(String[]::new);
        BenchOptions options;
        PeerOptions peerOptions;
        try {
            options = BenchOptions.parse(args);
            peerOptions = PeerOptions.parse(args, options.quick());
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
            System.out.println(BenchOptions.USAGE);
            return;
        }
        Path jar = Path.of(System.getProperty("node.jar", "target/chat-node.jar")).toAbsolutePath();
        Path benchDir = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no node jar at " + jar + ": run " + COMMAND);
        }
        new NodeBenchmark(options, peerOptions, jar, benchDir).run(args);
    }

    private void run(String[] args) throws Exception {
        long started = System.nanoTime();
        deleteTree(benchDir.resolve("data"));
        deleteTree(benchDir.resolve("logs"));
        String loadBefore = loadAverage();
        System.out.println("=".repeat(100));
        System.out.println("ledger-chat node benchmark");
        System.out.println("  command:   " + command(args));
        System.out.println("  options:   " + options.describe());
        System.out.println("  peers:     " + peerOptions.describe());
        System.out.println("  date:      " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("  machine:   " + cores + " available processors, " + memory() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        System.out.println("  java:      " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("  node jar:  " + jar + " (" + Report.mib(Files.size(jar)) + " MiB)");
        System.out.println("  scratch:   " + benchDir);
        System.out.println("  load avg:  " + loadBefore + " (1, 5, 15 min) at start");
        System.out.println("=".repeat(100));
        report.add("0. Run", "load average at start (1/5/15 min)", loadBefore, "");
        OtherCpu.Snapshot runStart = OtherCpu.take();

        Exception failure = null;
        try {
            if (peerOptions.mode() == PeerOptions.Mode.ONLY) {
                section("1. Machine limits (only what bounds the peer rows, ~" + options.limitSeconds() + " s each)");
                double[] ed = MachineLimits.nodeEd25519(options.limitSeconds(), report);
                peerRows(ed[1], ed[2]);
            } else {
                section("1. Machine limits (in this JVM, ~" + options.limitSeconds() + " s each)");
                limits = MachineLimits.measure(options.limitSeconds(), report);
                nodeRows();
                if (peerOptions.mode() == PeerOptions.Mode.ALL) {
                    peerRows(limits.verifyPerSec(), limits.verifyAllCoresPerSec());
                }
            }
        } catch (NodeProcess.NodeFailedException | BenchFailure e) {
            System.out.println();
            System.out.println("FAILED: " + e.getMessage());
            report.note("The run stopped early: " + e.getMessage().lines().findFirst().orElse(""));
            failure = e;
        }
        String loadAfter = loadAverage();
        report.add("0. Run", "load average at end (1/5/15 min)", loadAfter, "");
        double minutes = (System.nanoTime() - started) / 60e9;
        report.add("0. Run", "benchmark wall time (without the Maven build)", Report.num(minutes, 1), "min");
        double othersRun = OtherCpu.otherCores(runStart, OtherCpu.take());
        report.add("0. Run", "CPU used by other processes over the whole run (avg)", Report.num(othersRun, 2),
                "of " + cores + " cores");
        busyNote(othersRun);

        section("Summary");
        System.out.println("command: " + command(args));
        report.printTable();
        System.out.println();
        System.out.println("Markdown (paste into BENCHMARKS.md):");
        System.out.println();
        report.printMarkdown();
        if (failure != null) {
            // Not a missed target: nothing could be measured past this point, so the run fails.
            throw failure;
        }
    }

    /** Sections 2-4: one node's sends, validation of large ledgers, and where validation time goes. */
    private void nodeRows() throws Exception {
        NodeProcess node = null;
        try {
            Path dataDir = benchDir.resolve("data").resolve("node");
            section("2. Persisted sends per second (node -Xmx" + SEND_HEAP + ", " + options.clients() + " clients, "
                    + options.sendSeconds() + " s after " + options.warmupSeconds() + " s warm-up)");
            node = startNode(dataDir, SEND_HEAP, "node-sends.log", "2. Sends");
            SendBudget budget = sends(node);
            stop(node);
            node = null;
            budget.finish(dataDir.resolve("chat.mv.db"), benchDir.resolve("data").resolve("storage-scratch"));

            Path keyFile = dataDir.resolve("node.key");
            if (!Files.exists(keyFile)) {
                throw new IllegalStateException("the node did not create " + keyFile);
            }
            identity = NodeKeyFile.loadOrCreate(keyFile).identity();
            for (long size : options.sizes()) {
                section("3. Full validation of " + Report.num(size) + " blocks (node restarted with -Xmx" + VALIDATION_HEAP + ")");
                node = validation(dataDir, size);
                stop(node);
                node = null;
                node = validationAsRun(dataDir, size);
                stop(node);
                node = null;
            }
            if (options.diagnostics()) {
                section("4. Where validation time goes (node stopped; the same H2 file read in this JVM)");
                ScanDiagnostics.run(dataDir, identity, groupId, report, options.fullDiagnostics());
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    /** Sections 5-7: nodes linked over loopback. {@code verifyOne}, {@code verifyAll}: Ed25519 verifications/s. */
    private void peerRows(double verifyOne, double verifyAll) throws Exception {
        Path jfc = peerOptions.profile() ? JfrProfile.settings(benchDir.resolve("work")) : null;
        PeerNodes nodes = new PeerNodes(jar, benchDir, jfc, startTimeout);
        PeerContext ctx = new PeerContext(report, peerOptions, nodes, benchDir, cores, verifyOne, verifyAll, startTimeout);
        String jfr = jfc == null ? "" : ", flight recording on";
        if (peerOptions.rows().contains("catchup")) {
            String warm = peerOptions.catchUpWarmSizes().isEmpty() ? ""
                    : ", then of " + peerOptions.catchUpWarmSizes() + " more by the last B, still running";
            section("5. Catch-up of " + peerOptions.catchUpSizes() + " missing blocks by a fresh node B" + warm
                    + " (two nodes, -Xmx" + PeerNodes.HEAP + jfr + ")");
            new CatchUpBench(ctx).run();
        }
        if (peerOptions.rows().contains("latency")) {
            section("6. Send on A's chat page -> shown on B's (" + Report.num(peerOptions.latencyRate(), 0) + " sends/s for "
                    + Report.num(peerOptions.latencySeconds(), 0) + " s" + jfr + ")");
            new LatencyBench(ctx).run();
        }
        if (peerOptions.rows().contains("cluster")) {
            section("7. Sustained sends across three linked nodes (" + peerOptions.clusterClients() + " clients each, "
                    + Report.num(peerOptions.clusterSeconds(), 0) + " s" + jfr + ")");
            new ClusterBench(ctx).run();
        }
    }

    private static String command(String[] args) {
        return COMMAND + (args.length == 0 ? "" : " -Dbench.args=\"" + String.join(" ", args) + "\"");
    }

    private NodeProcess startNode(Path dataDir, String heap, String logName, String section) throws Exception {
        System.out.println("  starting node (" + heapLabel(heap) + ") ...");
        NodeProcess node = NodeProcess.start(jar, dataDir, benchDir.resolve("work"), "Bench", heap,
                benchDir.resolve("logs").resolve(logName), startTimeout);
        System.out.println("  node command: " + node.commandLine());
        System.out.println("  node log:     " + node.log());
        report.add(section, "node start-up to ready (" + heapLabel(heap) + ")", Report.num(node.startup().toMillis() / 1000.0, 1), "s");
        JsonObject info = node.http().get("/api/node").json();
        groupId = info.getString("groupId");
        nodeName = info.getString("name");
        return node;
    }

    private static String heapLabel(String heap) {
        return heap == null ? "the JVM's default heap" : "-Xmx" + heap;
    }

    private SendBudget sends(NodeProcess node) throws Exception {
        String s = "2. Sends";
        double nodeCpu0 = node.cpuSeconds();
        long benchCpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        ThreadCpu.Snapshot[] threads = new ThreadCpu.Snapshot[2];
        // The per-thread snapshot is taken when the measured window opens, so JIT warm-up weighs less in it.
        Thread snap = new Thread(() -> {
            try {
                Thread.sleep((long) (options.warmupSeconds() * 1000));
                threads[0] = ThreadCpu.take(node.pid());
            } catch (InterruptedException e) {
                threads[0] = ThreadCpu.Snapshot.NONE;
                Thread.currentThread().interrupt();
            }
        }, "bench-thread-snapshot");
        snap.start();
        OtherCpu.Snapshot othersFrom = OtherCpu.take(node.pid());
        SendLoad.Result r = SendLoad.run(node.base(), options.clients(), options.warmupSeconds(), options.sendSeconds());
        OtherCpu.Snapshot othersTo = OtherCpu.take(node.pid());
        threads[1] = ThreadCpu.take(node.pid());
        // Read once, after the load (the fresh node committed nothing before it), so no other request runs during it.
        CommitMetrics commits = CommitMetrics.read(node.http());
        snap.join();
        double wall = (System.nanoTime() - t0) / 1e9;
        double nodeCpu = node.cpuSeconds() - nodeCpu0;
        double nodeCores = nodeCpu / wall;
        double benchCores = (processCpuNanos() - benchCpu0) / 1e9 / wall;
        report.addTarget(s, "persisted sends (HTTP 201), " + options.clients() + " clients, "
                        + Report.num(r.seconds(), 0) + " s window", Report.num(r.perSecond(), 0), "sends/s",
                ">= " + Report.num(SEND_TARGET, 0) + " sends/s", r.perSecond() >= SEND_TARGET);
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
        long persisted = r.sent() + r.warmupSent();
        if (persisted > 0) {
            report.add(s, "node CPU per persisted send (warm-up + window)", Report.num(nodeCpu * 1000 / persisted, 2), "ms");
        }
        report.add(s, "group commit over warm-up and window (the node's /metrics)",
                commits.describeSince(CommitMetrics.NONE, wall), "");
        String byThread = ThreadCpu.describe(threads[0], threads[1], 5);
        if (!byThread.isEmpty()) {
            report.add(s, "node CPU by thread in the window", byThread, "");
        }
        others(s, "the load", othersFrom, othersTo);
        double signCeiling = limits.signPerSec();
        report.add(s, "ceiling from Ed25519 signing alone (1 thread)", Report.num(signCeiling, 0), "sends/s");
        report.add(s, "ceiling from Ed25519 signing alone (all " + cores + " cores, nothing else running)",
                Report.num(signCeiling * cores, 0), "sends/s");
        if (r.perSecond() < SEND_TARGET) {
            report.note("Send target missed: " + Report.num(r.perSecond(), 0) + " sends/s < " + Report.num(SEND_TARGET, 0)
                    + ". The node used " + Report.num(nodeCores, 2) + " of " + cores + " cores, about "
                    + Report.num(persisted == 0 ? 0 : nodeCpu * 1000 / persisted, 1) + " ms of CPU per send, of which one"
                    + " Ed25519 signature is " + Report.num(1000 / limits.signPerSec(), 2) + " ms: the rest is the HTTP,"
                    + " JSON, JPA and H2 path around it (and JIT while the node is cold). Signing alone caps this machine at "
                    + Report.num(signCeiling * cores, 0) + " sends/s with both cores doing nothing else.");
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
     * and add to every request's round trip, so this is nearer what the node itself can persist.
     */
    private void leanSends(String s, NodeProcess node, SendBudget budget) throws Exception {
        double warmup = Math.min(10, options.warmupSeconds());
        CommitMetrics commits0 = CommitMetrics.read(node.http());
        SendBudget.Measured m = SendBudget.measure(node, SendLoad.Client.LEAN, options.clients(), warmup, options.sendSeconds());
        budget.sendsWere(m, CommitMetrics.read(node.http()).meanGroupSince(commits0));
        SendLoad.Result r = m.result();
        report.addTarget(s, "the same with lean HTTP/1.1 clients (kept-alive socket, no client threads), "
                        + Report.num(warmup, 0) + " s more warm-up", Report.num(r.perSecond(), 0), "sends/s",
                ">= " + Report.num(SEND_TARGET, 0) + " sends/s", r.perSecond() >= SEND_TARGET);
        report.add(s, "  lean clients: errors", Report.num(r.errors()) + (r.errorKinds().isEmpty() ? "" : " " + r.errorKinds()), "");
        report.add(s, "  lean clients: send latency p50 / p99", Report.num(r.percentileMillis(50), 2) + " / "
                + Report.num(r.percentileMillis(99), 2), "ms");
        report.add(s, "  lean clients: CPU used by the node / by the clients", Report.num(m.nodeCores(), 2)
                + " / " + Report.num(m.clientCores(), 2), "of " + cores + " cores");
    }

    private NodeProcess validation(Path dataDir, long size) throws Exception {
        String s = "3. Validation " + shortSize(size);
        OtherCpu.Snapshot loadFrom = OtherCpu.take();
        LedgerLoader.Result load = LedgerLoader.appendUntil(dataDir, identity, groupId, nodeName, size, cores);
        OtherCpu.Snapshot loadTo = OtherCpu.take();
        report.add(s, "bulk load: blocks appended after " + Report.num(load.before()) + " stored", Report.num(load.added()), "blocks");
        if (load.added() > 0) {
            report.add(s, "bulk load time (Ed25519 on " + cores + " threads + JDBC batches)", Report.num(load.seconds(), 1), "s");
            report.add(s, "bulk load rate", Report.num(load.blocksPerSecond(), 0), "blocks/s");
            report.add(s, "  of which the DB writer waited for signatures", Report.num(load.signWaitSeconds(), 1), "s");
            report.add(s, "  of which JDBC inserts and commits", Report.num(load.dbSeconds(), 1), "s");
            others(s, "the bulk load", loadFrom, loadTo);
        }
        report.add(s, "H2 file size after the load", Report.mib(load.dbFileBytes()), "MiB");
        NodeProcess node = startNode(dataDir, VALIDATION_HEAP, "node-" + size + ".log", s);

        long t0 = System.nanoTime();
        JsonObject warm = validate(node, false);
        double warmRoundTrip = (System.nanoTime() - t0) / 1e9;
        report.add(s, "first validation after start (warm-up call)", Report.num(warm.getJsonNumber("validationMillis").longValue())
                + (warm.getBoolean("valid") ? "" : " INVALID"), "ms");
        report.add(s, "  its HTTP round trip (incl. the writer opening the ledger)", Report.num(warmRoundTrip, 1), "s");
        StoreSettling.Result settled = StoreSettling.await(node.http(), 0.8, Duration.ofSeconds(10),
                Duration.ofMinutes(15));
        report.add(s, "H2 file, settled by the node's housekeeping before the measured call", Report.mib(settled.fromBytes())
                + " -> " + Report.mib(settled.toBytes()) + " MiB in " + Report.num(settled.seconds(), 0) + " s"
                + (settled.settled() ? "" : " (still shrinking: measured anyway)"), "");
        HttpJson.Reply live = sendBetweenValidations(node, "");
        NodeMetrics before = NodeMetrics.read(node.http());
        JsonObject measured;
        long peak;
        ThreadCpu.Snapshot cpuBefore = ThreadCpu.take(node.pid());
        OtherCpu.Snapshot othersFrom = OtherCpu.take(node.pid());
        try (NodeMetrics.PeakWatcher watcher = new NodeMetrics.PeakWatcher(new HttpJson(node.base()), 500)) {
            measured = validate(node, false);
            peak = watcher.peak();
        }
        OtherCpu.Snapshot othersTo = OtherCpu.take(node.pid());
        String byThread = ThreadCpu.describe(cpuBefore, ThreadCpu.take(node.pid()), 4);
        NodeMetrics after = NodeMetrics.read(node.http());
        long blocks = measured.getJsonNumber("blocks").longValue();
        long expected = load.after() + (live.status() == 201 ? 1 : 0);
        boolean valid = measured.getBoolean("valid");
        long millis = measured.getJsonNumber("validationMillis").longValue();
        report.add(s, "full validation of " + Report.num(blocks) + " blocks, -Xmx" + VALIDATION_HEAP
                + " (validationMillis, 2nd call)", Report.num(millis), "ms");
        report.add(s, "validation rate", Report.num(blocks * 1000.0 / Math.max(1, millis), 0), "blocks/s");
        report.add(s, "valid", valid + " (problemCount " + measured.getJsonNumber("problemCount").longValue()
                + ", " + Report.num(blocks) + " blocks checked of " + Report.num(expected) + " stored)", "");
        if (!valid || blocks != expected) {
            report.note("PRODUCT BUG? The node reports the bulk-loaded ledger of " + Report.num(expected)
                    + " blocks as " + (valid ? "valid" : "INVALID") + " with " + blocks + " blocks; problems: "
                    + measured.get("problems"));
            System.out.println(node.tail(40));
        }
        if (before.known() && after.known()) {
            report.add(s, "node heap: peak used during the validation (polled every 500 ms)", Report.mib(peak), "MiB");
            report.add(s, "node heap: used right after, committed, max", Report.mib(after.usedHeap()) + " / "
                    + Report.mib(after.committedHeap()) + " / " + Report.mib(after.maxHeap()), "MiB");
            if (before.gcCount() >= 0) {
                report.add(s, "node GC during the validation", gcBetween(before, after), "");
            }
        } else {
            report.add(s, "node heap", after.describeHeap(), "");
        }
        if (!byThread.isEmpty()) {
            report.add(s, "node CPU by thread during the validation", byThread, "");
        }
        others(s, "the measured validation", othersFrom, othersTo);
        if (node.fullGc()) {
            NodeMetrics live2 = NodeMetrics.read(node.http());
            if (live2.known()) {
                report.add(s, "node heap still live after validation (used after a full GC)", Report.mib(live2.usedHeap()), "MiB");
            }
        }
        if (size <= options.signaturePassMax()) {
            JsonObject sig = validate(node, true);
            long sigMillis = sig.getJsonNumber("validationMillis").longValue();
            double rate = sig.getJsonNumber("blocks").longValue() * 1000.0 / Math.max(1, sigMillis);
            report.add(s, "full signature pass (?signatures=true)", Report.num(sigMillis) + (sig.getBoolean("valid")
                    ? " (valid)" : " INVALID"), "ms");
            double slower = limits.verifyPerSec() / rate;
            report.addTarget(s, "signature pass rate vs raw verify " + Report.num(limits.verifyPerSec(), 0) + "/s (1 thread)",
                    Report.num(rate, 0) + " (" + Report.num(slower, 2) + "x slower)", "blocks/s",
                    "within " + Report.num(SIGNATURE_PASS_FACTOR, 0) + "x", slower <= SIGNATURE_PASS_FACTOR);
            if (!sig.getBoolean("valid")) {
                report.note("PRODUCT BUG? The full signature pass reports the ledger INVALID: " + sig.get("problems"));
            }
        }
        if (!node.alive()) {
            report.note("The node died during validation of " + Report.num(size) + " blocks:\n" + node.tail(40));
        }
        return node;
    }

    /**
     * The same ledger, settled by the run before, on a node started as the README's command starts one: no -Xmx, so the
     * JVM's default heap (a quarter of this machine's memory). The target is judged here, on the median of
     * {@link #PERIODIC_CALLS} calls after the warm-up call, each after one live send: the validation is periodic, so
     * what a running node spends is its steady state, and one call on a JVM that just started is still partly the
     * JIT's. The -Xmx256m run before shows the heap it needs.
     */
    private NodeProcess validationAsRun(Path dataDir, long size) throws Exception {
        String s = "3. Validation " + shortSize(size);
        NodeProcess node = startNode(dataDir, DEFAULT_HEAP, "node-" + size + "-default-heap.log", s);
        JsonObject warm = validate(node, false);
        report.add(s, "first validation after start (warm-up call), the JVM's default heap",
                Report.num(warm.getJsonNumber("validationMillis").longValue()) + (warm.getBoolean("valid") ? "" : " INVALID"),
                "ms");
        NodeMetrics before = NodeMetrics.read(node.http());
        long[] millis = new long[PERIODIC_CALLS];
        long blocks = 0;
        boolean valid = true;
        for (int i = 0; i < PERIODIC_CALLS; i++) {
            sendBetweenValidations(node, " " + i);
            JsonObject measured = validate(node, false);
            millis[i] = measured.getJsonNumber("validationMillis").longValue();
            blocks = measured.getJsonNumber("blocks").longValue();
            if (!measured.getBoolean("valid")) {
                valid = false;
                report.note("PRODUCT BUG? The node with the default heap reports the ledger INVALID: " + measured.get("problems"));
            }
        }
        NodeMetrics after = NodeMetrics.read(node.http());
        long[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted[PERIODIC_CALLS / 2];
        String figure = "full validation of " + Report.num(blocks) + " blocks, the JVM's default heap (max "
                + (after.known() ? Report.mib(after.maxHeap()) + " MiB" : "unknown") + "; median validationMillis of "
                + PERIODIC_CALLS + " calls after the warm-up)" + (valid ? "" : " INVALID");
        if (size == VALIDATION_TARGET_BLOCKS) {
            report.addTarget(s, figure, Report.num(median), "ms", "<= " + Report.num(VALIDATION_TARGET_MS, 0) + " ms",
                    median <= VALIDATION_TARGET_MS && valid);
            if (median > VALIDATION_TARGET_MS) {
                report.note("Validation target missed: " + Report.num(median) + " ms for " + Report.num(blocks)
                        + " blocks > " + Report.num(VALIDATION_TARGET_MS, 0) + " ms (section 4 shows where the time goes).");
            }
        } else {
            report.add(s, figure, Report.num(median), "ms");
        }
        report.add(s, "  the " + PERIODIC_CALLS + " calls, in order", java.util.Arrays.stream(millis)
                .mapToObj(Report::num).reduce((a, b) -> a + " / " + b).orElse(""), "ms");
        if (before.known() && after.known() && before.gcCount() >= 0) {
            report.add(s, "  node GC during them", gcBetween(before, after), "");
        }
        return node;
    }

    /**
     * One real send between two validation calls: the ledger changes, so H2 cannot hand the scanner its previous
     * results, as on a live node where blocks arrive between two periodic validations.
     */
    private HttpJson.Reply sendBetweenValidations(NodeProcess node, String suffix) {
        HttpJson.Reply live = node.http().sendMessage("one live message between two validations" + suffix);
        if (live.status() != 201) {
            report.note("The send between two validation calls answered " + live.status() + ": " + live.body());
        }
        return live;
    }

    private static String gcBetween(NodeMetrics before, NodeMetrics after) {
        return Report.num(after.gcCount() - before.gcCount()) + " collections, "
                + Report.num((after.gcSeconds() - before.gcSeconds()) * 1000, 0) + " ms";
    }

    private JsonObject validate(NodeProcess node, boolean signatures) throws Exception {
        long t0 = System.nanoTime();
        HttpJson.Reply reply = node.postLong("/api/ledger/validate" + (signatures ? "?signatures=true" : ""),
                Duration.ofMinutes(30));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (reply.status() != 200) {
            throw new IllegalStateException("POST /api/ledger/validate answered " + reply.status() + ": " + reply.body()
                    + "\nnode log:\n" + node.tail(40));
        }
        JsonObject json = reply.json();
        System.out.printf("    validate%s: %s blocks, valid=%s, validationMillis=%d, HTTP round trip %.0f ms%n",
                signatures ? "?signatures=true" : "", Report.num(json.getJsonNumber("blocks").longValue()),
                json.getBoolean("valid"), json.getJsonNumber("validationMillis").longValue(), ms);
        JsonValue problems = json.get("problems");
        if (!json.getBoolean("valid")) {
            System.out.println("    problems: " + problems);
        }
        return json;
    }

    private void stop(NodeProcess node) throws InterruptedException {
        long t0 = System.nanoTime();
        int code = node.stop();
        System.out.printf("  node stopped (exit code %d) in %.1f s%n", code, (System.nanoTime() - t0) / 1e9);
    }

    private void busyNote(double othersRun) {
        if (othersRun > 0.1 || busiestOthers > 0.1) {
            report.note("The machine was not idle: other processes used " + Report.num(othersRun, 2) + " of " + cores
                    + " cores on average over the run" + (busiestPhase.isEmpty() ? "" : ", and "
                    + Report.num(busiestOthers, 2) + " cores during " + busiestPhase)
                    + "; figures measured then are lower than this machine can do alone.");
        }
    }

    private void others(String section, String phase, OtherCpu.Snapshot from, OtherCpu.Snapshot to) {
        double cores = OtherCpu.otherCores(from, to);
        if (Double.isNaN(cores)) {
            return;
        }
        report.add(section, "CPU used by other processes during " + phase, Report.num(cores, 2), "of " + this.cores + " cores");
        if (cores > busiestOthers) {
            busiestOthers = cores;
            busiestPhase = phase + " (" + section + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return Report.num(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
        }
    }

    private static String memory() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return Report.num(os.getTotalMemorySize() / (1024.0 * 1024 * 1024), 1) + " GiB RAM";
        } catch (RuntimeException | LinkageError e) {
            return "RAM unknown";
        }
    }

    static long processCpuNanos() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    private static String shortSize(long size) {
        if (size % 1_000_000 == 0) {
            return (size / 1_000_000) + "M";
        }
        return size % 1_000 == 0 ? (size / 1_000) + "k" : Long.toString(size);
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
