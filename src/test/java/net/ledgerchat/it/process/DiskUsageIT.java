package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database file of a node that has been chatting: every send is its own commit, and H2 writes each
 * commit as a new chunk of the file. With {@code WRITE_DELAY=0} H2 runs none of its own housekeeping, so
 * before the node ran it ({@code StoreHousekeeping}) chunks that kept a few live pages were never rewritten
 * and 3,000 sends left a 163 MB file for good. The file must come back to about what the messages take once
 * the node is idle.
 */
class DiskUsageIT {
    private static final int MESSAGES = 3_000;
    /** 3,000 short messages take about 2 MB live; before the fix the file held over 150 MB of dead chunks. */
    private static final long BOUND_BYTES = 16L << 20;
    /** H2 keeps a chunk its retention time (5 s on the node) before it may reuse its space, then shrinks when idle. */
    private static final Duration SETTLE = Duration.ofMinutes(4);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void theDatabaseFileShrinksBackOnceTheNodeIsIdle() throws Exception {
        Path dir = NodeProcess.freshTestDir("disk-usage");
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("DATA_DIR", data.toString(),
                "WEB_PORT", Integer.toString(NodeProcess.freePort()),
                "TCP_SERVER_PORT", Integer.toString(NodeProcess.freePort()),
                "CLIENT_NAME", "Disk");
        try (NodeProcess node = new NodeProcess("node", dir.resolve("work"), dir, env)) {
            node.startAndAwaitReady();
            HttpJson http = node.http();
            for (int i = 0; i < MESSAGES; i++) {
                HttpJson.Reply reply = http.sendMessage("disk " + i);
                assertEquals(201, reply.status(), "send " + i + ": " + reply.body());
            }
            Path file = data.resolve("group.mv.db");
            long afterSends = Files.size(file);
            System.out.printf("[DiskUsageIT] %,d sends, one commit each: database file %,d bytes%n", MESSAGES, afterSends);

            long started = System.nanoTime();
            long size = afterSends;
            while (size > BOUND_BYTES && System.nanoTime() - started < SETTLE.toNanos()) {
                Thread.sleep(2_000);
                size = Files.size(file);
            }
            System.out.printf("[DiskUsageIT] %,d bytes after %d s idle%n", size, (System.nanoTime() - started) / 1_000_000_000L);
            assertTrue(size <= BOUND_BYTES, "the database file is still " + size + " bytes " + SETTLE.toSeconds()
                    + " s after " + MESSAGES + " sends (" + afterSends + " right after them); expected at most " + BOUND_BYTES);

            JsonObject validated = http.post("/api/ledger/validate", "").json();
            assertTrue(validated.getBoolean("valid"), "ledger invalid after H2's housekeeping: " + validated);
            assertEquals(MESSAGES + 1, validated.getJsonNumber("blocks").longValue(), "blocks after housekeeping (and the genesis): " + validated);
            node.terminate();
            node.restart();
            assertEquals(MESSAGES + 1, http.get("/api/ledger").json().getJsonNumber("blocks").longValue(),
                    "blocks after a restart on the compacted file");
        }
    }
}
