package net.ledgerchat.bench;

import java.time.Duration;
import net.ledgerchat.it.support.HttpJson;

/**
 * Waits for the node's H2 housekeeping to finish with a file it did not write itself: the benchmark loads its
 * ledger with plain JDBC batches while the node is stopped, which leaves most of the file dead space, and a node
 * compacts that after start (at most 16 MB per half second while idle). A live node's file is kept compact all
 * along, so the measured validation reads a settled file; the warm-up call before it ran during the compaction.
 */
final class StoreSettling {
    private static final String FILE_METRIC = "ledger_store_file_bytes";
    private static final String LIVE_METRIC = "ledger_store_chunks_live_ratio";

    record Result(long fromBytes, long toBytes, double seconds, boolean settled) {
    }

    private StoreSettling() {
    }

    /**
     * Polls {@code /metrics} once a second until the chunks are at least {@code fill} live (below that the node goes
     * on rewriting them, and the file only shrinks once they are freed) and the file size has not changed for
     * {@code quiet}; or until {@code limit}.
     */
    static Result await(HttpJson http, double fill, Duration quiet, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        Store first = read(http);
        long last = first.fileBytes();
        long lastChange = start;
        while (System.nanoTime() - start < limit.toNanos()) {
            Thread.sleep(1_000);
            Store now = read(http);
            if (now.fileBytes() != last) {
                last = now.fileBytes();
                lastChange = System.nanoTime();
            } else if (now.liveRatio() >= fill && System.nanoTime() - lastChange >= quiet.toNanos()) {
                return new Result(first.fileBytes(), last, (lastChange - start) / 1e9, true);
            }
        }
        return new Result(first.fileBytes(), last, (System.nanoTime() - start) / 1e9, false);
    }

    /** The gauges as the node's last housekeeping pass saw them; -1 when the node does not report them (not H2). */
    private record Store(long fileBytes, double liveRatio) {
    }

    private static Store read(HttpJson http) {
        HttpJson.Reply reply = http.get("/metrics");
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /metrics answered " + reply.status());
        }
        long bytes = -1;
        double ratio = -1;
        for (String line : reply.body().split("\n")) {
            if (line.startsWith(FILE_METRIC)) {
                bytes = (long) value(line);
            } else if (line.startsWith(LIVE_METRIC)) {
                ratio = value(line);
            }
        }
        return new Store(bytes, ratio < 0 ? 1 : ratio);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
    }
}
