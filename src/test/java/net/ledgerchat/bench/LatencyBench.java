package net.ledgerchat.bench;

import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Send on one node, shown on another, as two chat users see it: two fresh linked nodes (A founds the group, B
 * joins it with an invite A made and dials A) with a chat page ({@link ChatSocketClient} on {@code /ws/chat}) open on each. After a warm-up burst of
 * {@code POST /api/messages} on A (the pages are already open, so the push path warms up too), A's page
 * sends at a steady rate, each send after the previous one's {@code sent} ack. Every text is unique and
 * B's {@code message} frame is matched to its send by the message id the ack gives, never by count.
 * Latency = arrival of B's frame minus the moment A's page began the send. B pushes a block to its pages
 * only after the block's transaction committed, so the figure is an upper bound of "stored on B", with no
 * polling resolution and no polling load on B. Before it, paced the same way, two floors: a loopback TCP
 * round trip (the machine's) and a trivial request on A's page (the node's and this client's; the page
 * protocol has no ping, so it is {@code history} with limit 1).
 */
final class LatencyBench {
    static final String SECTION = "6. Send -> stored";
    private static final double P50_TARGET_MS = 5;
    private static final double P99_TARGET_MS = 25;
    private static final int FLOOR_SAMPLES = 200;
    /** A send that A does not ack, or B's page does not show, this long after it began fails the run. */
    private static final long GIVE_UP_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long LATE_NANOS = 5_000_000;

    private final PeerContext ctx;

    LatencyBench(PeerContext ctx) {
        this.ctx = ctx;
    }

    /** The paced sends: when each began, when A's ack arrived, the message id it gave; starts over 5 ms late. */
    private record Sends(long[] began, long[] acked, String[] ids, int late) {
    }

    void run() throws Exception {
        PeerOptions o = ctx.options();
        List<PeerNodes.Plan> plans = PeerNodes.plan(List.of("latency-a", "latency-b"), List.of(List.of(), List.of(0)));
        List<NodeProcess> both = ctx.nodes().startFresh(plans);
        NodeProcess a = both.get(0);
        NodeProcess b = both.get(1);
        try {
            PeerNodes.awaitLinked(List.of(b), 1, Duration.ofSeconds(60));
            try (ChatSocketClient pageA = ChatSocketClient.open(a.webPort());
                 ChatSocketClient pageB = ChatSocketClient.open(b.webPort())) {
                if (o.latencyWarmupSeconds() > 0) {
                    SendLoad.Result warm = SendLoad.run(a.base(), 4, 0, o.latencyWarmupSeconds());
                    System.out.println("    warm-up: " + Report.num(warm.sent()) + " sends on A by 4 clients in "
                            + Report.num(o.latencyWarmupSeconds(), 0) + " s");
                }
                ClusterBench.awaitSame(List.of(a, b), 60);
                Thread.sleep(2_000);
                System.out.println("    B's page was shown " + Report.num(pageB.shownCount()) + " messages so far");
                pageB.forgetShown();
                measure(a, b, pageA, pageB);
            }
        } finally {
            PeerNodes.stopAll(both);
        }
    }

    private void measure(NodeProcess a, NodeProcess b, ChatSocketClient pageA, ChatSocketClient pageB) throws Exception {
        Report report = ctx.report();
        PeerOptions o = ctx.options();
        String s = SECTION;
        long period = (long) (1e9 / o.latencyRate());
        String pacing = "1 per " + Report.num(period / 1e6, 0) + " ms";
        long[] tcp = LoopbackRoundTrip.measure(FLOOR_SAMPLES, period);
        report.add(s, "machine floor: loopback TCP round trip of 1 byte between two threads of this JVM (TCP_NODELAY, "
                + pacing + ") p50 / p99", ms(tcp, 50) + " / " + ms(tcp, 99), "ms");
        long[] request = requestFloor(pageA, period);
        report.add(s, "node floor: history (limit 1) request -> answer on A's page (" + pacing + ") p50 / p99",
                ms(request, 50) + " / " + ms(request, 99), "ms");

        int count = Math.max(1, (int) Math.round(o.latencyRate() * o.latencySeconds()));
        double aCpu0 = a.cpuSeconds();
        double bCpu0 = b.cpuSeconds();
        OtherCpu.Snapshot others0 = OtherCpu.take(a.pid(), b.pid());
        ThreadCpu.Snapshot bThreads0 = ThreadCpu.take(b.pid());
        ThreadSched.Snapshot bReader0 = ThreadSched.take(b.pid(), "peer-read");
        Instant from = Instant.now();
        long t0 = System.nanoTime();
        Sends sends = send(pageA, count, period);
        long[] shown = awaitShown(pageB, sends);
        double wall = (System.nanoTime() - t0) / 1e9;
        ThreadSched.Snapshot bReader1 = ThreadSched.take(b.pid(), "peer-read");
        Instant to = Instant.now();
        double aCpu = a.cpuSeconds() - aCpu0;
        double bCpu = b.cpuSeconds() - bCpu0;
        OtherCpu.Snapshot others1 = OtherCpu.take(a.pid(), b.pid());
        long[] ack = new long[count];
        for (int i = 0; i < count; i++) {
            ack[i] = sends.acked()[i] - sends.began()[i];
        }
        Arrays.sort(shown);
        Arrays.sort(ack);

        report.add(s, "sends on A's page, one at a time", Report.num(count) + " at " + Report.num(o.latencyRate(), 0)
                + "/s over " + Report.num(wall, 1) + " s (" + sends.late() + " started over 5 ms late)", "");
        report.addTarget(s, "send on A's page -> shown on B's page, p50", ms(shown, 50), "ms", "<= "
                + Report.num(P50_TARGET_MS, 0) + " ms", pct(shown, 50) <= P50_TARGET_MS * 1e6);
        report.addTarget(s, "send on A's page -> shown on B's page, p99", ms(shown, 99), "ms", "<= "
                + Report.num(P99_TARGET_MS, 0) + " ms", pct(shown, 99) <= P99_TARGET_MS * 1e6);
        report.add(s, "send on A's page -> shown on B's page, max", ms(shown, 100), "ms");
        report.add(s, "  of which A's ack (its sent frame) p50 / p99 / max",
                ms(ack, 50) + " / " + ms(ack, 99) + " / " + ms(ack, 100), "ms");
        report.add(s, "  CPU of A / B / other processes while sending", Report.num(aCpu / wall, 2)
                + " / " + Report.num(bCpu / wall, 2) + " / "
                + Report.num(OtherCpu.otherCores(others0, others1), 2), "of " + ctx.cores() + " cores");
        report.add(s, "  B's link reader thread (stores what A sends)", ThreadSched.describe(bReader0, bReader1), "");
        report.add(s, "  B's CPU by thread (nothing polls it: it stores, and pushes to one page)",
                ThreadCpu.describe(bThreads0, ThreadCpu.take(b.pid()), 4), "");
        ctx.profile(s, "  A (sending)", a, from, to, count);
        ctx.profile(s, "  B (storing)", b, from, to, count);
    }

    /** A trivial request on the page and its answer, paced: the floor of any WebSocket request to the node. */
    private static long[] requestFloor(ChatSocketClient page, long period) throws Exception {
        long[] took = new long[FLOOR_SAMPLES];
        long t0 = System.nanoTime();
        for (int i = 0; i < FLOOR_SAMPLES; i++) {
            String ref = "h" + i;
            String frame = "{\"type\":\"history\",\"limit\":1,\"ref\":\"" + ref + "\"}";
            pace(t0, i, period);
            long began = System.nanoTime();
            page.send(frame);
            took[i] = answered(page, ref, "history", "history request " + i).at() - began;
        }
        Arrays.sort(took);
        return took;
    }

    private static Sends send(ChatSocketClient page, int count, long period) throws Exception {
        long[] began = new long[count];
        long[] acked = new long[count];
        String[] ids = new String[count];
        MessageText texts = new MessageText(20);
        int late = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String ref = "r" + i;
            String frame = Json.createObjectBuilder().add("type", "send").add("text", texts.next(i)).add("ref", ref)
                    .build().toString();
            if (pace(t0, i, period)) {
                late++;
            }
            began[i] = System.nanoTime();
            page.send(frame);
            ChatSocketClient.Frame ack = answered(page, ref, "sent", "send " + i);
            acked[i] = ack.at();
            ids[i] = ack.json().getJsonObject("message").getString("id");
        }
        return new Sends(began, acked, ids, late);
    }

    /** The page's answer of {@code type} to the request with {@code ref}; anything else fails the run. */
    private static ChatSocketClient.Frame answered(ChatSocketClient page, String ref, String type, String what)
            throws InterruptedException, BenchFailure {
        ChatSocketClient.Frame answer = page.answer(ref, GIVE_UP_NANOS);
        if (answer == null || !answer.type().equals(type)) {
            throw new BenchFailure("A's page got " + (answer == null ? "no answer" : answer.json().toString()) + " to "
                    + what + " within " + GIVE_UP_NANOS / 1_000_000_000 + " s (its socket: " + page.state() + ")");
        }
        return answer;
    }

    /**
     * Each send's latency (began on A -> shown on B's page), unsorted, once B's page has shown every one.
     * B's frames were stamped as they arrived, so waiting here in steps adds nothing to the figures.
     */
    private static long[] awaitShown(ChatSocketClient page, Sends sends) throws InterruptedException, BenchFailure {
        long[] latency = new long[sends.ids().length];
        for (int i = 0; i < latency.length; i++) {
            long at;
            while ((at = page.shownAt(sends.ids()[i])) < 0 && System.nanoTime() - sends.began()[i] <= GIVE_UP_NANOS) {
                Thread.sleep(1);
            }
            if (at < 0 || at - sends.began()[i] > GIVE_UP_NANOS) {
                long seen = Arrays.stream(sends.ids()).filter(id -> page.shownAt(id) >= 0).count();
                throw new BenchFailure("B's page did not show send " + i + " (message " + sends.ids()[i] + ", acked by A "
                        + Report.num((sends.acked()[i] - sends.began()[i]) / 1e6, 1) + " ms after it began) within "
                        + GIVE_UP_NANOS / 1_000_000_000 + " s; it showed " + seen + " of the " + latency.length
                        + " sends (its socket: " + page.state() + ")");
            }
            latency[i] = at - sends.began()[i];
        }
        return latency;
    }

    /** Parks until {@code t0 + i * period}; true if that moment was over 5 ms past (the machine was busy). */
    static boolean pace(long t0, int i, long period) {
        long due = t0 + i * period;
        long wait = due - System.nanoTime();
        boolean late = wait < -LATE_NANOS;
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            wait = due - System.nanoTime();
        }
        return late;
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
