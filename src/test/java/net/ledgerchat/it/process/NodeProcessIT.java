package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The node as an operator runs it: the real uber-jar in its own process, stopped with SIGTERM and
 * with kill -9, restarted on the same data directory, and started with bad or no settings.
 * Logs of every launch stay under {@code target/it-data/<test>/}.
 */
class NodeProcessIT {
    private static final Duration BAD_SETTING_EXIT = Duration.ofSeconds(60);
    private static final int THREADS = 8;
    private static final int CONCURRENT_MESSAGES = 1_000;
    private static final int SEQUENTIAL_MESSAGES = 100;
    private static final int PAGE = 97;
    /** {@code [Config] ...}, bare or as {@code 2026-01-31 12:00:00.000 SEVERE  [Config] ...}. */
    private static final Pattern CONFIG_LINE = Pattern.compile("(?:\\d{4}-\\d{2}-\\d{2} [0-9:.]+ +[A-Z]+ +)?\\[Config\\] \\S.*");

    /** One message as the API lists it, reduced to what these tests compare. */
    private record Listed(String id, String text, String author, String sender, boolean mine) {
    }

    // ---------------------------------------------------------------- (a) durability and paging

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void acknowledgedMessagesSurviveSigtermAndKill9InLedgerOrder() throws Exception {
        Path dir = NodeProcess.freshTestDir("durability");
        String clientName = "Durable";
        Map<String, String> env = new HashMap<>(validSettings(dir));
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("CLIENT_NAME", clientName);
        try (NodeProcess node = new NodeProcess("node", dir.resolve("work"), dir, env)) {
            node.startAndAwaitReady();
            HttpJson http = node.http();
            String key = nodeInfo(http).getString("key");

            // 1,000 messages from 8 threads at once; every one must be acknowledged.
            List<List<String>> sentByThread = sendConcurrently(http);
            Map<String, String> sentTexts = new HashMap<>();
            for (int t = 0; t < THREADS; t++) {
                List<String> ids = sentByThread.get(t);
                for (int i = 0; i < ids.size(); i++) {
                    sentTexts.put(ids.get(i), "m-" + t + "-" + i);
                }
            }
            assertEquals(CONCURRENT_MESSAGES, sentTexts.size(), "the node handed out a message id twice");

            List<Listed> history = readHistory(http, PAGE);
            assertHistoryHolds(history, sentTexts, key, clientName);
            for (int t = 0; t < THREADS; t++) {
                String prefix = "m-" + t + "-";
                List<String> listed = history.stream().filter(m -> m.text().startsWith(prefix)).map(Listed::id).toList();
                assertEquals(sentByThread.get(t), listed,
                        "thread " + t + "'s messages are not listed in the order it sent them (one after the other)");
            }
            List<String> order = ids(history);
            assertEquals(order, ids(readHistory(http, 500)), "paging with limit=500 lists another order than limit=97");

            // SIGTERM, restart on the same DATA_DIR: same key, same messages, same order, a valid ledger.
            int termExit = node.terminate();
            System.out.println("[NodeProcessIT] node exited with " + termExit + " after SIGTERM");
            node.restart();
            assertEquals(key, nodeInfo(http).getString("key"), "the node key changed across a SIGTERM restart");
            assertEquals(order, ids(readHistory(http, PAGE)), "history differs after a SIGTERM restart");
            JsonObject ledger = ok(http.get("/api/ledger"), "GET /api/ledger");
            assertTrue(ledger.getBoolean("valid"), "ledger invalid after a SIGTERM restart: " + ledger);
            // The messages and the genesis the node founded its group with.
            assertEquals(CONCURRENT_MESSAGES + 1, ledger.getJsonNumber("blocks").longValue(), "blocks after restart: " + ledger);

            // 100 more one after the other, then kill -9 straight after the last acknowledgement.
            List<String> acknowledged = new ArrayList<>(order);
            String lastKey = "last-send-before-the-kill";
            for (int i = 0; i < SEQUENTIAL_MESSAGES; i++) {
                String text = "k-" + i;
                String id = sent(i == SEQUENTIAL_MESSAGES - 1 ? http.sendMessage(text, lastKey) : http.sendMessage(text), text);
                acknowledged.add(id);
                sentTexts.put(id, text);
            }
            node.kill();
            node.restart();
            assertEquals(key, nodeInfo(http).getString("key"), "the node key changed across a kill -9 restart");
            List<Listed> afterKill = readHistory(http, PAGE);
            Set<String> listedAfterKill = new HashSet<>(ids(afterKill));
            List<String> lost = acknowledged.stream().filter(id -> !listedAfterKill.contains(id))
                    .map(id -> sentTexts.get(id) + " (" + id + ")").toList();
            assertTrue(lost.isEmpty(), lost.size() + " acknowledged message(s) missing after kill -9 and restart: " + lost);
            assertHistoryHolds(afterKill, sentTexts, key, clientName);
            assertEquals(acknowledged, ids(afterKill),
                    "after kill -9 the history is not the first 1,000 in their order followed by the 100 in send order");
            // A page that never heard the answer sends again with the same key: the restarted node still knows it.
            String lastText = "k-" + (SEQUENTIAL_MESSAGES - 1);
            assertEquals(acknowledged.get(acknowledged.size() - 1), sent(http.sendMessage(lastText, lastKey), lastText),
                    "a keyed repeat after kill -9 and restart must answer with the message stored before");
            JsonObject validated = ok(http.post("/api/ledger/validate", ""), "POST /api/ledger/validate");
            assertTrue(validated.getBoolean("valid"), "ledger invalid after kill -9 and restart: " + validated);
            assertEquals(CONCURRENT_MESSAGES + SEQUENTIAL_MESSAGES + 1, validated.getJsonNumber("blocks").longValue(),
                    "blocks after kill -9 and restart: " + validated);
        }
    }

    /** Sends 1,000 messages from {@link #THREADS} threads; returns, per thread, the acknowledged ids in send order. */
    private static List<List<String>> sendConcurrently(HttpJson http) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < CONCURRENT_MESSAGES / THREADS; i++) {
                        String text = "m-" + thread + "-" + i;
                        ids.add(sent(http.sendMessage(text), text));
                    }
                    return ids;
                }));
            }
            List<List<String>> result = new ArrayList<>();
            for (Future<List<String>> future : futures) {
                try {
                    result.add(future.get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.TimeoutException e) {
                    fail("sending 1,000 messages did not finish within 10 minutes");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AssertionError assertion) {
                        throw assertion;
                    }
                    throw e;
                }
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Asserts a send answered 201 with the text echoed back; returns the message id. */
    private static String sent(HttpJson.Reply reply, String text) {
        assertEquals(201, reply.status(), "POST /api/messages '" + text + "' answered " + reply.status() + ": " + reply.body());
        JsonObject message = reply.json();
        assertEquals(text, message.getString("text"), "echoed text of a send");
        String id = message.getString("id");
        assertFalse(id.isBlank(), "a sent message has no id: " + reply.body());
        return id;
    }

    /** Pages backwards from the newest with {@code limit}, following {@code before} until it is null; oldest first. */
    private static List<Listed> readHistory(HttpJson http, int limit) {
        List<List<Listed>> pagesNewestFirst = new ArrayList<>();
        String before = null;
        int maxPages = (CONCURRENT_MESSAGES + SEQUENTIAL_MESSAGES) / limit + 5;
        do {
            if (pagesNewestFirst.size() >= maxPages) {
                fail("paging with limit=" + limit + " did not end after " + maxPages + " pages (last before=" + before + ")");
            }
            String path = "/api/messages?limit=" + limit
                    + (before == null ? "" : "&before=" + URLEncoder.encode(before, StandardCharsets.UTF_8));
            JsonObject page = ok(http.get(path), "GET " + path);
            List<Listed> messages = page.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                    .map(m -> new Listed(m.getString("id"), m.getString("text"), m.getString("author"),
                            m.getString("sender"), m.getBoolean("mine")))
                    .toList();
            assertTrue(messages.size() <= limit, "a page of limit=" + limit + " held " + messages.size() + " messages");
            JsonValue next = page.get("before");
            before = next == null || next.getValueType() == JsonValue.ValueType.NULL ? null : page.getString("before");
            if (before != null) {
                assertEquals(limit, messages.size(), "a page that is not the oldest must be full (before=" + before + ")");
            }
            pagesNewestFirst.add(messages);
        } while (before != null);
        Collections.reverse(pagesNewestFirst);
        List<Listed> history = new ArrayList<>();
        pagesNewestFirst.forEach(history::addAll);
        return history;
    }

    /** Exactly the sent messages, each once, with its own text, all by this node. */
    private static void assertHistoryHolds(List<Listed> history, Map<String, String> sentTexts, String key, String name) {
        Map<String, Long> counts = history.stream().collect(Collectors.groupingBy(Listed::id, Collectors.counting()));
        List<String> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertTrue(duplicates.isEmpty(), "message ids listed more than once: " + duplicates);
        Set<String> missing = new HashSet<>(sentTexts.keySet());
        missing.removeAll(counts.keySet());
        assertTrue(missing.isEmpty(), missing.size() + " sent message(s) not listed: "
                + missing.stream().map(sentTexts::get).toList());
        Set<String> unexpected = new HashSet<>(counts.keySet());
        unexpected.removeAll(sentTexts.keySet());
        assertTrue(unexpected.isEmpty(), "listed messages nobody sent: " + unexpected);
        assertEquals(sentTexts.size(), history.size(), "number of listed messages");
        for (Listed m : history) {
            assertEquals(sentTexts.get(m.id()), m.text(), "text of message " + m.id());
            assertEquals(key, m.author(), "author of message " + m.id());
            assertEquals(name, m.sender(), "sender of message " + m.id());
            assertTrue(m.mine(), "message " + m.id() + " is not marked mine");
        }
    }

    // ---------------------------------------------------------------- (b) bad settings

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "TCP_SERVER_PORT, abc",
        "SYNC_INTERVAL, 0",
        "USER_TIMEZONE, Mars/Olympus",
        "WEB_PORT, 70000",
    })
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBadSettingStopsTheNodeWithOneConfigLine(String setting, String value) {
        Path dir = NodeProcess.freshTestDir("bad-setting-" + setting);
        Map<String, String> env = new HashMap<>(validSettings(dir));
        env.put(setting, value);
        try (NodeProcess node = new NodeProcess("node", dir.resolve("work"), dir, env)) {
            node.start();
            assertRefused(node, setting);
        }
    }

    /**
     * An upgrade from format 1 (DESIGN section 7): the node stops with one line saying what to do, and the old ledger
     * file keeps every byte; nothing is created beside it.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aDataDirectoryFromFormatOneIsNeverChangedAndTheNodeSaysWhatToDo() throws Exception {
        Path dir = NodeProcess.freshTestDir("format-one");
        Map<String, String> env = validSettings(dir);
        Path data = Path.of(env.get("DATA_DIR"));
        String before = FormatOneDataDir.write(data);
        try (NodeProcess node = new NodeProcess("node", dir.resolve("work"), dir, env)) {
            node.start();
            assertRefused(node, "DATA_DIR");
            String line = node.logLines().stream().filter(l -> CONFIG_LINE.matcher(l).matches()).findFirst().orElseThrow();
            assertTrue(line.contains("format 1") && line.contains("new DATA_DIR"), line);
            assertFalse(node.logText().contains("Exception"), "a stack trace instead of one line:\n" + node.logTail());
        }
        assertEquals(before, FormatOneDataDir.sha256(data.resolve("chat.mv.db")), "the format-1 ledger file changed");
        assertFalse(Files.exists(data.resolve("group.mv.db")), "a new ledger was created beside the old one");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSecondNodeOnTheSameDataDirIsRefused() {
        Path dir = NodeProcess.freshTestDir("data-dir-in-use");
        Map<String, String> first = validSettings(dir);
        try (NodeProcess running = new NodeProcess("first", dir.resolve("work-first"), dir, first)) {
            running.startAndAwaitReady();
            // Other ports, so only the shared DATA_DIR can be the reason for a refusal.
            Map<String, String> second = new HashMap<>(validSettings(dir));
            second.put("DATA_DIR", first.get("DATA_DIR"));
            try (NodeProcess intruder = new NodeProcess("second", dir.resolve("work-second"), dir, second)) {
                intruder.start();
                assertRefused(intruder, "DATA_DIR");
            }
            assertTrue(running.isAlive(), "the first node stopped when a second one tried its DATA_DIR");
            ok(running.http().get("/api/node"), "GET /api/node on the first node after the refused second");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBadSettingInDotEnvIsReportedTheSameWay() throws Exception {
        Path dir = NodeProcess.freshTestDir("bad-dotenv");
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve(".env"), "# written by NodeProcessIT\nSYNC_INTERVAL=abc\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>(validSettings(dir));
        env.remove("SYNC_INTERVAL"); // the environment wins over .env: only the file may set it here
        try (NodeProcess node = new NodeProcess("node", work, dir, env)) {
            node.start();
            assertRefused(node, "SYNC_INTERVAL");
        }
    }

    /** Settings for a node that would start: its own data directory and two free ports. */
    private static Map<String, String> validSettings(Path dir) {
        int web = NodeProcess.freePort();
        int tcp = NodeProcess.freePort();
        while (tcp == web) {
            tcp = NodeProcess.freePort();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_DIR", dir.resolve("data-" + web).toString());
        env.put("WEB_PORT", Integer.toString(web));
        env.put("TCP_SERVER_PORT", Integer.toString(tcp));
        env.put("CLIENT_NAME", "Config");
        env.put("SYNC_INTERVAL", "2");
        return env;
    }

    /**
     * Exit code 2 within a minute, exactly one {@code [Config]} line naming {@code setting}, never "is ready". The
     * line is {@code [Config] <problem>}, optionally behind the node's log prefix {@code <date> <time> <LEVEL>}.
     */
    private static void assertRefused(NodeProcess node, String setting) {
        int exit = node.awaitExit(BAD_SETTING_EXIT);
        String log = node.logText();
        assertEquals(2, exit, node.name() + " exit code (2 = bad setting); log " + node.logFile() + ":\n" + node.logTail());
        List<String> config = node.logLines().stream().filter(line -> CONFIG_LINE.matcher(line).matches()).toList();
        assertEquals(1, config.size(), "expected exactly one [Config] line; log " + node.logFile()
                + ":\n" + node.logTail());
        assertTrue(config.get(0).contains(setting), "the [Config] line does not name " + setting + ": " + config.get(0));
        assertFalse(log.contains("is ready"), "a refused node printed 'is ready':\n" + node.logTail());
        System.out.println("[NodeProcessIT] " + setting + " refused: " + config.get(0));
    }

    // ---------------------------------------------------------------- (c) zero configuration

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void startsWithNoSettingsAtAll() {
        boolean webFree = NodeProcess.portIsFree(8001);
        boolean tcpFree = NodeProcess.portIsFree(5001);
        if (!webFree || !tcpFree) {
            System.out.println("[NodeProcessIT] Skipping the zero-configuration start: default port"
                    + (webFree ? "" : " 8001") + (tcpFree ? "" : " 5001") + " is in use on this machine");
        }
        Assumptions.assumeTrue(webFree && tcpFree,
                "the default ports 8001 and 5001 must both be free (8001 free: " + webFree + ", 5001 free: " + tcpFree + ")");
        Path dir = NodeProcess.freshTestDir("zero-config");
        Path work = dir.resolve("work");
        try (NodeProcess node = new NodeProcess("node", work, dir, Map.of())) {
            node.startAndAwaitReady();
            JsonObject info = nodeInfo(node.http());
            assertEquals(8001, info.getInt("webPort"), "default web port: " + info);
            assertEquals(5001, info.getInt("tcpPort"), "default peer port: " + info);
            assertNotEquals("", info.getString("key"), "node key: " + info);
            Path data = work.resolve("data");
            assertTrue(Files.isRegularFile(data.resolve("node.key")), "no ./data/node.key in " + work
                    + "; ./data holds " + list(data));
            assertTrue(Files.isRegularFile(data.resolve("group.mv.db")), "no ./data/group.mv.db in " + work
                    + "; ./data holds " + list(data));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject nodeInfo(HttpJson http) {
        return ok(http.get("/api/node"), "GET /api/node");
    }

    private static JsonObject ok(HttpJson.Reply reply, String what) {
        assertEquals(200, reply.status(), what + " answered " + reply.status() + ": " + reply.body());
        return reply.json();
    }

    private static List<String> ids(List<Listed> history) {
        return history.stream().map(Listed::id).toList();
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of("(cannot list: " + e + ")");
        }
    }
}
