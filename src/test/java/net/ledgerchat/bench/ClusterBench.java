package net.ledgerchat.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.ledgerchat.it.support.HttpJson;

/**
 * Sustained sends across three linked nodes (each lists the other two; the first founds the group, the other two
 * join it with invites the first made): concurrent senders on every node for a fixed window, then the time from the last send's answer until all three show the same block count and heads;
 * then every node's whole message list is read and must be the same list in the same order. Nodes that do not
 * converge fail the run.
 */
final class ClusterBench {
    static final String SECTION = "7. Three linked nodes";
    private static final long POLL_MS = 50;

    private final PeerContext ctx;

    ClusterBench(PeerContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        Report report = ctx.report();
        PeerOptions o = ctx.options();
        List<PeerNodes.Plan> plans = PeerNodes.plan(List.of("cluster-1", "cluster-2", "cluster-3"),
                List.of(List.of(1, 2), List.of(0, 2), List.of(0, 1)));
        List<NodeProcess> nodes = ctx.nodes().startFresh(plans);
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            PeerNodes.awaitLinked(nodes, 2, java.time.Duration.ofSeconds(90));
            // The group before the load: the genesis, two invites and two admits, on every node, and no message.
            awaitSame(nodes, o.convergeTimeoutSeconds());
            long membershipBlocks = LedgerState.of(nodes.get(0).http()).blocks();
            int messagesBefore = messageIds(nodes.get(0).http()).size();
            if (messagesBefore != 0) {
                throw new BenchFailure("the fresh group lists " + messagesBefore + " messages before the load");
            }
            double[] cpu0 = nodes.stream().mapToDouble(NodeProcess::cpuSeconds).toArray();
            long[] pids = nodes.stream().mapToLong(NodeProcess::pid).toArray();
            OtherCpu.Snapshot others0 = OtherCpu.take(pids);
            List<ThreadSched.Snapshot> readers0 = nodes.stream().map(n -> ThreadSched.take(n.pid(), "peer-read")).toList();
            long t0 = System.nanoTime();
            Instant from = Instant.now().plusMillis((long) (o.clusterWarmupSeconds() * 1000));
            List<Future<SendLoad.Result>> loads = new ArrayList<>();
            for (NodeProcess n : nodes) {
                loads.add(pool.submit(() -> SendLoad.run(n.base(), o.clusterClients(), o.clusterWarmupSeconds(),
                        o.clusterSeconds())));
            }
            List<SendLoad.Result> results = new ArrayList<>();
            for (Future<SendLoad.Result> f : loads) {
                results.add(f.get());
            }
            long lastSend = System.nanoTime();
            double[] cpu1 = nodes.stream().mapToDouble(NodeProcess::cpuSeconds).toArray();
            Instant to = Instant.now();
            double wall = (lastSend - t0) / 1e9;
            OtherCpu.Snapshot others1 = OtherCpu.take(pids);
            List<ThreadSched.Snapshot> readers1 = nodes.stream().map(n -> ThreadSched.take(n.pid(), "peer-read")).toList();
            List<LedgerState> atLastSend = nodes.stream().map(n -> LedgerState.of(n.http())).toList();
            double convergeSeconds = awaitSame(nodes, o.convergeTimeoutSeconds());
            long blocks = LedgerState.of(nodes.get(0).http()).blocks();
            List<String> first = messageIds(nodes.get(0).http());
            for (int i = 1; i < nodes.size(); i++) {
                List<String> other = messageIds(nodes.get(i).http());
                if (!other.equals(first)) {
                    throw new BenchFailure("node " + (i + 1) + " lists " + other.size() + " messages, node 1 lists "
                            + first.size() + ": equal heads but different message lists");
                }
            }
            if (first.size() != blocks - membershipBlocks) {
                throw new BenchFailure("the nodes list " + first.size() + " messages but hold " + blocks + " blocks, "
                        + membershipBlocks + " of them the group's before the load");
            }
            long sent = results.stream().mapToLong(SendLoad.Result::sent).sum();
            long errors = results.stream().mapToLong(SendLoad.Result::errors).sum();
            double window = results.get(0).seconds();
            String s = SECTION;
            report.add(s, "accepted sends (HTTP 201), " + o.clusterClients() + " clients on each of 3 nodes, "
                    + Report.num(window, 0) + " s after " + Report.num(o.clusterWarmupSeconds(), 0) + " s warm-up",
                    Report.num(sent / window, 0), "sends/s");
            StringBuilder perNode = new StringBuilder();
            for (SendLoad.Result r : results) {
                perNode.append(perNode.length() == 0 ? "" : " / ").append(Report.num(r.perSecond(), 0)).append(" (p50 ")
                        .append(Report.num(r.percentileMillis(50), 1)).append(" ms, p99 ")
                        .append(Report.num(r.percentileMillis(99), 1)).append(" ms)");
            }
            report.add(s, "  per node, with send latency", perNode.toString(), "sends/s");
            report.add(s, "  errors (non-201 or failed requests)", Report.num(errors), "");
            report.add(s, "converged after the last send (equal heads and block counts on all 3)",
                    Report.num(convergeSeconds, 2), "s");
            report.add(s, "  blocks held by node 1 / 2 / 3 right after the last send (then " + Report.num(blocks) + " each)",
                    atLastSend.stream().map(st -> Report.num(st.blocks())).reduce((x, y) -> x + " / " + y).orElse(""), "");
            for (int i = 0; i < nodes.size(); i++) {
                report.add(s, "  node " + (i + 1) + "'s link reader threads during the load",
                        ThreadSched.describe(readers0.get(i), readers1.get(i)), "");
            }
            report.add(s, "  message lists read back: identical on all 3, in the same order", Report.num(first.size()),
                    "messages");
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                cpu.append(i == 0 ? "" : " / ").append(Report.num((cpu1[i] - cpu0[i]) / wall, 2));
            }
            report.add(s, "  CPU of node 1 / 2 / 3 during the load (incl. warm-up)", cpu.toString(), "of " + ctx.cores()
                    + " cores");
            report.add(s, "  CPU used by other processes (not the nodes, not this JVM's clients)",
                    Report.num(OtherCpu.otherCores(others0, others1), 2), "of " + ctx.cores() + " cores");
            ctx.profile(s, "  node 1 (measured window)", nodes.get(0), from, to, sent / 3);
        } finally {
            pool.shutdownNow();
            PeerNodes.stopAll(nodes);
        }
    }

    /**
     * Seconds until every node shows the same block count and heads, polled every {@value #POLL_MS} ms; a
     * {@link BenchFailure} with what each shows if that does not happen within {@code timeoutSeconds}.
     */
    static double awaitSame(List<NodeProcess> nodes, double timeoutSeconds) throws InterruptedException, BenchFailure {
        long t0 = System.nanoTime();
        List<LedgerState> states = List.of();
        while (System.nanoTime() - t0 < timeoutSeconds * 1e9) {
            states = nodes.stream().map(n -> LedgerState.of(n.http())).toList();
            if (Collections.frequency(states, states.get(0)) == states.size()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(POLL_MS);
        }
        StringBuilder b = new StringBuilder("NOT CONVERGED: the nodes still differ " + Report.num(timeoutSeconds, 0)
                + " s after the last send:");
        for (int i = 0; i < nodes.size(); i++) {
            b.append("\n  node on port ").append(nodes.get(i).tcpPort()).append(": ")
                    .append(Report.num(states.get(i).blocks())).append(" blocks, ").append(states.get(i).shortHeads())
                    .append("\n  its log ends with:\n").append(nodes.get(i).tail(15));
        }
        throw new BenchFailure(b.toString());
    }

    /** Every message id the node lists, oldest first, paging back from the newest. */
    static List<String> messageIds(HttpJson http) {
        List<List<String>> pages = new ArrayList<>();
        String before = null;
        do {
            String path = "/api/messages?limit=500" + (before == null ? ""
                    : "&before=" + URLEncoder.encode(before, StandardCharsets.UTF_8));
            HttpJson.Reply reply = http.get(path);
            if (reply.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + reply.status() + ": " + reply.body());
            }
            JsonObject page = reply.json();
            List<String> ids = new ArrayList<>();
            for (JsonValue m : page.getJsonArray("messages")) {
                ids.add(m.asJsonObject().getString("id"));
            }
            pages.add(ids);
            before = !page.containsKey("before") || page.isNull("before") ? null : page.getString("before");
        } while (before != null);
        Collections.reverse(pages);
        List<String> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }
}
