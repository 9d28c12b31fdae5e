package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.OrderKey;

/** What the process tests read from a node's API to compare ledgers, and the waits built on it. */
final class LedgerView {
    private static final int PAGE = 500;

    private LedgerView() {
    }

    /** The ids of the newest 500 messages, oldest first: the order the node shows. */
    static List<String> messageIds(HttpJson node) {
        return messages(node).stream().map(m -> m.getString("id")).toList();
    }

    /** The texts of the newest 500 messages, oldest first. */
    static List<String> messageTexts(HttpJson node) {
        return messages(node).stream().map(m -> m.getString("text")).toList();
    }

    private static List<JsonObject> messages(HttpJson node) {
        HttpJson.Reply reply = node.get("/api/messages?limit=" + PAGE);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("messages").stream().map(JsonValue::asJsonObject).toList();
    }

    static List<String> heads(HttpJson node) {
        return ledger(node).getJsonArray("heads").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .sorted().toList();
    }

    static long blockCount(HttpJson node) {
        return ledger(node).getJsonNumber("blocks").longValue();
    }

    private static JsonObject ledger(HttpJson node) {
        HttpJson.Reply reply = node.get("/api/ledger");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** The hash of every stored block, read page by page from {@code GET /api/ledger/blocks}. */
    static Set<String> blockHashes(HttpJson node) {
        return heights(node).keySet();
    }

    /** The node's heads with their heights: what a block written after them names (its order timestamps are not needed). */
    static List<OrderKey> headKeys(HttpJson node) {
        Map<String, Long> heights = heights(node);
        return heads(node).stream().map(h -> new OrderKey(0, heights.get(h), h)).toList();
    }

    /** Every stored block's height by hash. */
    private static Map<String, Long> heights(HttpJson node) {
        Map<String, Long> heights = new java.util.HashMap<>();
        String after = null;
        do {
            String query = "/api/ledger/blocks?limit=" + PAGE
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            HttpJson.Reply reply = node.get(query);
            assertEquals(200, reply.status(), reply.body());
            JsonObject page = reply.json();
            List<JsonObject> blocks = page.getJsonArray("blocks").stream().map(JsonValue::asJsonObject).toList();
            blocks.forEach(b -> heights.put(b.getString("hash"), b.getJsonNumber("height").longValue()));
            // A short page is the last; a full one may be followed by more.
            after = blocks.size() < PAGE || page.isNull("after") ? null : page.getString("after");
        } while (after != null);
        return heights;
    }

    /** Waits until {@code node} lists a message with {@code text}; fails after {@code timeout}. */
    static Duration awaitMessage(HttpJson node, String text, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (messageTexts(node).contains(text)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not arrive within " + timeout.toSeconds() + " s");
    }

    /** Every node lists the same {@code count} messages in the same order and reports the same heads. */
    static void awaitSame(List<HttpJson> nodes, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> sizes = List.of();
        List<List<String>> heads = List.of();
        while (System.nanoTime() < deadline) {
            List<List<String>> lists = nodes.stream().map(LedgerView::messageIds).toList();
            heads = nodes.stream().map(LedgerView::heads).toList();
            sizes = lists.stream().map(List::size).toList();
            if (lists.get(0).size() == count && lists.stream().allMatch(lists.get(0)::equals)
                    && heads.stream().allMatch(heads.get(0)::equals)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no convergence on " + count + " messages within " + timeout.toSeconds()
                + " s; the nodes list " + sizes + " messages, heads " + heads);
    }
}
