package net.ledgerchat.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * Section 3 of the node benchmark: the node's ledger is loaded to each size, then validated on a node with a
 * small heap (the heap rows and the signature pass) and on a node started as the README starts one (the
 * target: the median of periodic calls).
 */
final class ValidationBench {
    static final String VALIDATION_HEAP = "256m";
    private static final long VALIDATION_TARGET_BLOCKS = 1_000_000;
    private static final double VALIDATION_TARGET_MS = 3_000;
    /** Validation calls measured on the node as it is run, after its warm-up call. */
    private static final int PERIODIC_CALLS = 3;
    private static final double SIGNATURE_PASS_FACTOR = 2;
    /** No -Xmx: the JVM's default heap, as the README's {@code java -jar target/chat-node.jar} starts a node. */
    private static final String DEFAULT_HEAP = null;

    /** The node's data directory, and who signs the blocks loaded into it. */
    record Ledger(Path dataDir, NodeIdentity identity, String groupId, String nodeName) {
    }

    /** Starts the benchmark's node on a data directory, reporting its start-up under {@code section}. */
    @FunctionalInterface
    interface NodeStarter {
        NodeProcess start(Path dataDir, String heap, String logName, String section) throws Exception;
    }

    private final Report report;
    private final BenchOptions options;
    private final int cores;
    private final MachineLimits.Result limits;
    private final NodeContext.OtherCpuReport others;
    private final Ledger ledger;
    private final NodeStarter nodes;

    ValidationBench(NodeContext ctx, Ledger ledger, NodeStarter nodes) {
        this.report = ctx.report();
        this.options = ctx.options();
        this.cores = ctx.cores();
        this.limits = ctx.limits();
        this.others = ctx.others();
        this.ledger = ledger;
        this.nodes = nodes;
    }

    /** Loads the ledger to {@code size} blocks, then validates it on a node with a small heap; returns the running node. */
    NodeProcess measure(long size) throws Exception {
        Path dataDir = ledger.dataDir();
        String s = "3. Validation " + shortSize(size);
        OtherCpu.Snapshot loadFrom = OtherCpu.take();
        LedgerLoader.Result load = LedgerLoader.appendUntil(dataDir, ledger.identity(), ledger.groupId(), ledger.nodeName(), size, cores);
        OtherCpu.Snapshot loadTo = OtherCpu.take();
        report.add(s, "bulk load: blocks appended after " + Report.num(load.before()) + " stored", Report.num(load.added()), "blocks");
        if (load.added() > 0) {
            report.add(s, "bulk load time (Ed25519 on " + cores + " threads + JDBC batches)", Report.num(load.seconds(), 1), "s");
            report.add(s, "bulk load rate", Report.num(load.blocksPerSecond(), 0), "blocks/s");
            report.add(s, "  of which the DB writer waited for signatures", Report.num(load.signWaitSeconds(), 1), "s");
            report.add(s, "  of which JDBC inserts and commits", Report.num(load.dbSeconds(), 1), "s");
            others.record(s, "the bulk load", loadFrom, loadTo);
        }
        report.add(s, "H2 file size after the load", Report.mib(load.dbFileBytes()), "MiB");
        NodeProcess node = nodes.start(dataDir, VALIDATION_HEAP, "node-" + size + ".log", s);

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
        others.record(s, "the measured validation", othersFrom, othersTo);
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
                    Report.num(rate, 0) + (slower > 1 ? " (" + Report.num(slower, 2) + "x slower)"
                            : " (" + Report.num(1 / slower, 2) + "x the raw rate: the pass runs on all cores)"), "blocks/s",
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
    NodeProcess measureAsRun(long size) throws Exception {
        Path dataDir = ledger.dataDir();
        String s = "3. Validation " + shortSize(size);
        NodeProcess node = nodes.start(dataDir, DEFAULT_HEAP, "node-" + size + "-default-heap.log", s);
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

    private static String shortSize(long size) {
        if (size % 1_000_000 == 0) {
            return (size / 1_000_000) + "M";
        }
        return size % 1_000 == 0 ? (size / 1_000) + "k" : Long.toString(size);
    }
}
