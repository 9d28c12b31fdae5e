package net.ledgerchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import net.ledgerchat.it.support.HttpJson;

/**
 * {@code clients} threads, each with its own HTTP/1.1 connection ({@link Client}), POST
 * {@code /api/messages} back to back: a warm-up that is not counted, then the measured window.
 * A request counts when it completes inside the window; only 201 is a persisted send (200 for
 * {@link Client#LEAN_READ}, which sends nothing).
 */
final class SendLoad {
    /** The outcome of the measured window. */
    record Result(long sent, long errors, Map<String, Long> errorKinds, double seconds, long[] sortedLatencyNanos,
                  long warmupSent, long[] secondBuckets) {
        double perSecond() {
            return sent / seconds;
        }

        double percentileMillis(double p) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sortedLatencyNanos.length) - 1;
            return sortedLatencyNanos[Math.max(0, Math.min(i, sortedLatencyNanos.length - 1))] / 1e6;
        }

        /** Sends per second over the last {@code n} whole seconds of the window: the rate once the node is warm. */
        double lastSecondsRate(int n) {
            int whole = (int) Math.floor(seconds);
            int from = Math.max(0, whole - n);
            long sum = 0;
            for (int i = from; i < whole; i++) {
                sum += secondBuckets[i];
            }
            return whole - from == 0 ? Double.NaN : sum / (double) (whole - from);
        }

        double maxMillis() {
            return sortedLatencyNanos.length == 0 ? Double.NaN : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6;
        }
    }

    /** How the load's threads speak HTTP. */
    enum Client {
        /** {@code java.net.http.HttpClient} in HTTP/1.1 mode ({@link HttpJson}), as the tests use it. */
        JDK(201),
        /** {@link LeanHttpSender}: a kept-alive socket read and written on the sending thread, like wrk. */
        LEAN(201),
        /**
         * The lean clients asking {@code GET /api/node} instead of sending: no body to read, nothing stored,
         * the smallest answer the node has. What the container costs a request on this machine, the floor
         * under every send.
         */
        LEAN_READ(200);

        private final int success;

        Client(int success) {
            this.success = success;
        }
    }

    /** One sending thread's connection. */
    private interface Sender {
        /** The HTTP status of one send. */
        int send(String text) throws IOException;
    }

    private SendLoad() {
    }

    static Result run(String base, int clients, double warmupSeconds, double seconds) throws InterruptedException {
        return run(base, clients, warmupSeconds, seconds, Client.JDK);
    }

    private static Sender sender(String base, Client client) {
        if (client == Client.LEAN) {
            LeanHttpSender lean = new LeanHttpSender(base);
            return lean::send;
        }
        if (client == Client.LEAN_READ) {
            LeanHttpSender lean = new LeanHttpSender(base);
            return text -> lean.get("/api/node");
        }
        // HTTP/1.1 as curl, scripts and browsers speak it to http://: the JDK client's default h2c upgrade put
        // Grizzly's HTTP/2 path under the load, a quarter fewer sends/s, with the JIT never settling.
        HttpJson http = new HttpJson(base, java.net.http.HttpClient.Version.HTTP_1_1);
        return text -> http.sendMessage(text).status();
    }

    static Result run(String base, int clients, double warmupSeconds, double seconds, Client client)
            throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + (long) (warmupSeconds * 1e9);
        long windowEnd = windowStart + (long) (seconds * 1e9);
        LongAdder warmupSent = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong serial = new AtomicLong();
        AtomicLongArray buckets = new AtomicLongArray((int) Math.ceil(seconds) + 1);
        CountDownLatch done = new CountDownLatch(clients);
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int sender = c;
            threads[c] = new Thread(() -> {
                try {
                    Sender http = sender(base, client);
                    MessageText texts = new MessageText(1000 + sender);
                    long[] mine = new long[4096];
                    int n = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= windowEnd) {
                            break;
                        }
                        String kind;
                        try {
                            int status = http.send(texts.next(serial.incrementAndGet()));
                            kind = status == client.success ? null : "HTTP " + status;
                        } catch (IOException | UncheckedIOException | IllegalStateException e) {
                            kind = e.getCause() == null ? e.toString() : e.getCause().getClass().getSimpleName();
                        }
                        long t1 = System.nanoTime();
                        if (t1 < windowStart) {
                            if (kind == null) {
                                warmupSent.increment();
                            }
                            continue;
                        }
                        if (t1 >= windowEnd) {
                            continue;
                        }
                        if (kind != null) {
                            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
                            continue;
                        }
                        buckets.incrementAndGet((int) ((t1 - windowStart) / 1_000_000_000L));
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = t1 - t0;
                    }
                    latencies[sender] = mine;
                    counts[sender] = n;
                } finally {
                    done.countDown();
                }
            }, "bench-sender-" + c);
            threads[c].setDaemon(true);
            threads[c].start();
        }
        done.await();
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        for (int c = 0; c < clients; c++) {
            total += counts[c];
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            if (latencies[c] != null) {
                System.arraycopy(latencies[c], 0, all, at, counts[c]);
                at += counts[c];
            }
        }
        Arrays.sort(all, 0, at);
        long[] sorted = Arrays.copyOf(all, at);
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((k, v) -> kinds.put(k, v.sum()));
        long errorCount = kinds.values().stream().mapToLong(Long::longValue).sum();
        long[] perSecond = new long[buckets.length()];
        for (int i = 0; i < perSecond.length; i++) {
            perSecond[i] = buckets.get(i);
        }
        return new Result(sorted.length, errorCount, kinds, (windowEnd - windowStart) / 1e9, sorted, warmupSent.sum(),
                perSecond);
    }
}
