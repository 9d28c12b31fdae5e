package net.ledgerchat.bench;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;
import net.ledgerchat.config.Database;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.store.NodeKeyFile;

/**
 * The node benchmark: {@code mvn -q -B -DskipTests package exec:java@bench} (see BENCHMARKS.md).
 *
 * <ol>
 *   <li>this machine's limits, in process: SHA-256, Ed25519 sign and verify, HMAC seals;</li>
 *   <li>persisted sends per second of a real node (the uber-jar, -Xmx512m) under 16 HTTP clients, and what
 *       the target asks of the machine ({@link SendsBench});</li>
 *   <li>full validation time of ledgers of 100,000 and 1,000,000 real signed blocks, bulk-loaded into the
 *       stopped node's H2 file, on a node restarted with -Xmx256m and on one as the README starts it; the full
 *       signature pass on 100,000 ({@link ValidationBench});</li>
 *   <li>where the validation time goes (the scanner run in process on the same file);</li>
 *   <li>nodes linked over loopback: catch-up, send to shown, three nodes ({@code --no-peers} skips them);</li>
 *   <li>a summary table, also as Markdown for BENCHMARKS.md.</li>
 * </ol>
 * A missed target is printed as MISS; it never fails the run. A node that does not start fails the
 * run with the tail of its log.
 */
public final class NodeBenchmark {
    static final String COMMAND = "mvn -q -B -DskipTests package exec:java@bench";
    private static final String SEND_HEAP = "512m";

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
            node = startNode(dataDir, SEND_HEAP, "node-sends.log", SendsBench.SECTION);
            NodeContext ctx = new NodeContext(report, options, cores, limits, this::others);
            SendBudget budget = new SendsBench(ctx).run(node);
            stop(node);
            node = null;
            budget.finish(new Database.H2(dataDir.toAbsolutePath()).file(), benchDir.resolve("data").resolve("storage-scratch"));

            Path keyFile = dataDir.resolve("node.key");
            if (!Files.exists(keyFile)) {
                throw new IllegalStateException("the node did not create " + keyFile);
            }
            identity = NodeKeyFile.loadOrCreate(keyFile).identity();
            ValidationBench validation = new ValidationBench(ctx,
                    new ValidationBench.Ledger(dataDir, identity, groupId, nodeName), this::startNode);
            for (long size : options.sizes()) {
                section("3. Full validation of " + Report.num(size) + " blocks (node restarted with -Xmx"
                        + ValidationBench.VALIDATION_HEAP + ")");
                node = validation.measure(size);
                stop(node);
                node = null;
                node = validation.measureAsRun(size);
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

    /** Reports the CPU other processes used during a phase, and remembers the busiest phase for the closing note. */
    void others(String section, String phase, OtherCpu.Snapshot from, OtherCpu.Snapshot to) {
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
