package net.ledgerchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.File;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node's REST API, persistence, validation timer and tamper detection: the WAR that was built,
 * in Payara Micro, over an H2 file. One class, because each container boot costs ~20 s.
 */
@ExtendWith(ArquillianExtension.class)
class LedgerApiIT {
    @ArquillianResource
    private URL deployment;
    private HttpJson api;

    @Deployment(testable = false)
    static WebArchive war() {
        Containers.freshDataDir();
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/ROOT.war"));
    }

    @BeforeEach
    void connect() {
        api = new HttpJson(Containers.localBase(deployment));
    }

    @Test
    void sentMessageComesBackWithTheDocumentedShape() {
        JsonObject node = api.get("/api/node").json();
        HttpJson.Reply reply = api.sendMessage("hello <b>world</b> \u00e9\u20ac\ud83d\ude00");
        assertEquals(201, reply.status(), reply.body());
        JsonObject m = reply.json();
        assertEquals("hello <b>world</b> \u00e9\u20ac\ud83d\ude00", m.getString("text"));
        assertEquals("Container", m.getString("sender"));
        assertEquals(node.getString("key"), m.getString("author"));
        assertTrue(m.getBoolean("mine"));
        assertTrue(m.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), m.toString());
        assertTrue(Hex.isHex(m.getString("id"), 32));
        JsonObject page = api.get("/api/messages?limit=1").json();
        assertEquals(m.getString("id"), page.getJsonArray("messages").getJsonObject(0).getString("id"));
        assertEquals(Set.of("name", "key", "groupId", "webPort", "tcpPort", "member", "joining", "joinable"), node.keySet());
        assertFalse(node.getBoolean("joining"), "a founder is not joining");
        assertTrue(node.getBoolean("member"), "a founder is a member");
        assertTrue(Hex.isHex(node.getString("groupId"), 32), "a group is named by its genesis hash");
        assertEquals(15001, node.getInt("tcpPort"));
    }

    @Test
    void everyBadInputIsRefusedWith400AndStoresNothing() {
        long before = blocks();
        String tooLong = "\u20ac".repeat(16_384 / 3 + 1); // under the limit in characters, over it in UTF-8 bytes
        List<String> badBodies = List.of("", "{", "[]", "\"text\"", "{}", "{\"text\":null}", "{\"text\":\"\"}",
                "{\"text\":\"   \\n\\t \"}", "{\"text\":\"\\u200b\\u00a0\"}", "{\"text\":\"" + tooLong + "\"}",
                "{\"text\":\"\\ud800\"}", "{\"text\":\"a\\u0000b\"}", "{\"text\":\"" + "x".repeat(200_000) + "\"}");
        for (String body : badBodies) {
            HttpJson.Reply reply = api.post("/api/messages", body);
            assertEquals(400, reply.status(), "body " + abbreviate(body) + " -> " + reply.body());
            assertFalse(reply.json().getString("error").isBlank());
        }
        for (String query : List.of("limit=0", "limit=501", "limit=abc", "limit=-1", "before=zzz", "before=AQAA")) {
            HttpJson.Reply reply = api.get("/api/messages?" + query);
            assertEquals(400, reply.status(), query + " -> " + reply.body());
            assertEquals(400, api.get("/api/ledger/blocks?" + query.replace("before", "after")).status(), query);
        }
        assertEquals(before, blocks(), "a refused request stored something");
        assertEquals(201, api.sendMessage("x".repeat(16_384)).status(), "exactly the limit is allowed");
    }

    @Test
    void aSendRepeatedWithItsIdempotencyKeyIsStoredOnce() {
        long before = blocks();
        HttpJson.Reply first = api.sendMessage("sent twice over a bad line", "retry-key-0001");
        assertEquals(201, first.status(), first.body());
        HttpJson.Reply again = api.sendMessage("sent twice over a bad line", "retry-key-0001");
        assertEquals(201, again.status(), again.body());
        assertEquals(first.json().getString("id"), again.json().getString("id"));
        assertEquals(before + 1, blocks(), "the repeat stored a second block");

        HttpJson.Reply reused = api.sendMessage("another text under the same key", "retry-key-0001");
        assertEquals(400, reused.status());
        assertTrue(reused.json().getString("error").contains("another message"), reused.body());
        assertEquals(400, api.sendMessage("a bad key", "no spaces allowed").status());
        assertEquals(400, api.sendMessage("   ", "retry-key-0002").status());
        assertEquals(before + 1, blocks(), "a refused keyed send stored something");
        assertEquals(201, api.sendMessage("now with text", "retry-key-0002").status(), "a refused send keeps its key free");
        assertEquals(before + 2, blocks());
    }

    @Test
    void pagesWalkBackToTheFirstMessageInOrderWithoutGapsOrDuplicates() {
        for (int i = 0; i < 120; i++) {
            assertEquals(201, api.sendMessage("page-" + i).status());
        }
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = api.get("/api/messages?limit=50" + (cursor == null ? "" : "&before=" + cursor)).json();
            List<String> texts = page.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                    .map(o -> o.getString("text")).toList();
            all.addAll(0, texts);
            cursor = page.isNull("before") ? null : page.getString("before");
        } while (cursor != null);
        assertEquals(new HashSet<>(all).size(), all.size(), "duplicates while paging");
        List<String> mine = all.stream().filter(t -> t.startsWith("page-")).toList();
        assertEquals(120, mine.size());
        for (int i = 0; i < 120; i++) {
            assertEquals("page-" + i, mine.get(i));
        }
        assertEquals(messageBlocks(), all.size(), "paging missed messages");
    }

    @Test
    void concurrentSendsChainInsteadOfForking() throws Exception {
        double blocksBefore = metric("ledger_commit_blocks_sum");
        double commitsBefore = metric("ledger_commit_blocks_count");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String text = "concurrent-" + i;
                sends.add(pool.submit(() -> api.sendMessage(text).status()));
            }
            for (Future<Integer> send : sends) {
                assertEquals(201, send.get());
            }
        } finally {
            pool.shutdownNow();
        }
        JsonObject status = api.get("/api/ledger").json();
        assertEquals(1, status.getJsonArray("heads").size(), "one node's own sends must never fork: " + status);
        double commits = metric("ledger_commit_blocks_count") - commitsBefore;
        assertEquals(200, metric("ledger_commit_blocks_sum") - blocksBefore, 0.0, "/metrics counts every block stored");
        assertTrue(commits >= 1 && commits <= 200, "transactions: " + commits);
        assertTrue(metric("ledger_commit_time_seconds_count") >= commits, "every commit is timed");
    }

    @Test
    void theDatabaseFileIsReportedInMetrics() throws Exception {
        assertEquals(201, api.sendMessage("a message so the file has chunks").status());
        // The housekeeping pass that fills these runs twice a second.
        double file = 0;
        for (int i = 0; i < 50 && file <= 0; i++) {
            Thread.sleep(100);
            file = metric("ledger_store_file_bytes");
        }
        assertTrue(file > 0, "ledger_store_file_bytes: " + file);
        double live = metric("ledger_store_chunks_live_ratio");
        assertTrue(live > 0 && live <= 1, "ledger_store_chunks_live_ratio: " + live);
    }

    /** One application metric from {@code /metrics} (Prometheus text), whatever labels it carries; fails if absent. */
    private double metric(String name) {
        HttpJson.Reply reply = api.get("/metrics");
        assertEquals(200, reply.status());
        return reply.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in /metrics"));
    }

    @Test
    void exportedBlocksReverifyOutsideTheNode() {
        api.sendMessage("export me");
        String groupId = api.get("/api/node").json().getString("groupId");
        Ed25519 ed25519 = new Ed25519();
        String after = null;
        int seen = 0;
        Set<String> earlier = new HashSet<>();
        while (true) {
            JsonObject page = api.get("/api/ledger/blocks?limit=37" + (after == null ? "" : "&after=" + after)).json();
            List<JsonObject> blocks = page.getJsonArray("blocks").getValuesAs(JsonObject.class);
            if (blocks.isEmpty()) {
                break;
            }
            for (JsonObject json : blocks) {
                Block block = Blocks.fromJson(json);
                assertEquals(block.hash(), block.header().hash(), "hash of " + json);
                assertEquals(block.header().bodyDigest(), block.body().digest(), "body of " + json);
                assertEquals(block.isGenesis() ? "" : groupId, block.header().group(), "group of " + json);
                assertTrue(ed25519.verify(block.author(), Hex.decode(block.hash(), 32, "hash"), block.signature()));
                assertTrue(earlier.containsAll(block.parents()), "a parent must come before its child");
                earlier.add(block.hash());
                seen++;
            }
            after = page.getString("after");
        }
        assertEquals(blocks(), seen);
    }

    @Test
    void blocksFromElsewhereAreVerifiedBeforeTheyAreStored() {
        Blocks other = new Blocks(api);
        JsonObject status = api.get("/api/ledger").json();
        List<String> heads = status.getJsonArray("heads").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        Block parent = other.follow(heads, "from a peer");
        Block child = other.follow(List.of(parent.hash()), "child first");
        assertEquals(202, other.offer(child).status(), "child before parent waits");
        HttpJson.Reply stored = other.offer(parent);
        assertEquals(201, stored.status(), stored.body());
        assertEquals(200, other.offer(parent).status(), "second offer is a duplicate");
        JsonObject newest = api.get("/api/messages?limit=2").json();
        List<JsonObject> latest = newest.getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(List.of("from a peer", "child first"), latest.stream().map(o -> o.getString("text")).toList());
        assertFalse(latest.get(0).getBoolean("mine"), "another key's message is not mine");

        long count = blocks();
        assertRejected(other.offer(other.tamperedHash(child)), "BAD_HASH");
        assertRejected(other.offer(other.forgedSignature(child)), "BAD_SIGNATURE");
        assertRejected(other.offer(other.withTimestamp(List.of(child.hash()), Instant.now().plusSeconds(3600))), "FUTURE_TIMESTAMP");
        assertRejected(other.offer(other.wrongHeight(child)), "WRONG_HEIGHT");
        assertEquals(400, api.post("/api/ledger/blocks", "{\"hash\":\"nothex\"}").status());
        assertEquals(count, blocks(), "a refused block was stored");
    }

    @Test
    void validationRemovesDamagedAndForgedRowsAndABlockSentBackIsRestored() throws Exception {
        String hash = api.sendMessage("tamper target").json().getString("id");
        String second = api.sendMessage("second target").json().getString("id");
        Block original = exported(hash);
        Block secondOriginal = exported(second);
        Tamper db = new Tamper(Containers.dbUrl());
        assertTrue(awaitValid(true), "ledger must start valid");

        // No peer here to fetch it from: the edited row is removed and the block stays listed as missing.
        db.exec("UPDATE ledger SET body = X'" + "00".repeat(16) + "00000009" + "7265777269747465" + "6e' WHERE hash = "
                + Tamper.bin(hash));
        assertRepaired("removed", hash);
        assertProblem(hash, "MISSING");
        assertEquals(201, new Blocks(api).offer(original).status(), "a block sent back is restored");
        assertTrue(awaitValid(true), "restoring the block makes the ledger valid again");
        assertEquals("tamper target", messageText(hash));

        db.exec("DELETE FROM ledger WHERE hash = " + Tamper.bin(second));
        assertRepaired("requested", second);
        assertProblem(second, "MISSING");
        assertEquals(201, new Blocks(api).offer(secondOriginal).status());
        assertTrue(awaitValid(true));

        Block forged = new Blocks(api).follow(List.of(second), "inserted behind the node's back");
        db.insertForged(forged);
        JsonObject repaired = assertRepaired("removed", forged.hash());
        assertFalse(repaired.getJsonArray("requested").toString().contains(forged.hash()), "a forgery is never asked for");
        assertTrue(awaitValid(true), "removing the forged row is the whole repair");
    }

    @Test
    void validationRebuildsMessageRowsAndParentLinksByItself() throws Exception {
        String a = api.sendMessage("first of a pair").json().getString("id");
        String b = api.sendMessage("second of a pair").json().getString("id");
        Tamper db = new Tamper(Containers.dbUrl());
        assertTrue(awaitValid(true), "ledger must start valid");

        // Swapping two texts keeps every column's multiset of values: only per-row keyed fingerprints see it.
        // One commit: a timer validation between two separate edits would repair them in two repairs.
        db.atOnce(Tamper.statement("UPDATE messages SET text = 'second of a pair' WHERE hash = " + Tamper.bin(a)),
                Tamper.statement("UPDATE messages SET text = 'first of a pair' WHERE hash = " + Tamper.bin(b)));
        JsonObject swapped = assertRepaired("rebuiltMessages", a);
        assertTrue(swapped.getJsonArray("rebuiltMessages").toString().contains(b), swapped.toString());
        assertTrue(awaitValid(true));
        assertEquals("first of a pair", messageText(a));
        assertEquals("second of a pair", messageText(b));

        db.exec("UPDATE messages SET sender = 'Mallory' WHERE hash = " + Tamper.bin(b));
        assertRepaired("rebuiltMessages", b);
        db.exec("UPDATE messages SET shown = FALSE WHERE hash = " + Tamper.bin(b));
        assertRepaired("rebuiltMessages", b);
        db.exec("DELETE FROM messages WHERE hash = " + Tamper.bin(a));
        assertRepaired("rebuiltMessages", a);
        assertTrue(awaitValid(true));
        assertEquals("first of a pair", messageText(a));

        db.exec("UPDATE ledger_parent SET parent_hash = " + Tamper.bin("0".repeat(64)) + " WHERE child_hash = " + Tamper.bin(b));
        JsonObject relinked = assertRepaired("linksRepaired", null);
        assertTrue(relinked.getJsonArray("requested").isEmpty(), "a bad link names no block to fetch: " + relinked);
        assertTrue(awaitValid(true));
    }

    /**
     * Waits until the validation timer (SYNC_INTERVAL=2, no POST /validate) has found damage and a repair
     * started after this call lists {@code hash} under {@code field} (or, for a count, repaired any);
     * returns the repair.
     */
    private JsonObject assertRepaired(String field, String hash) throws InterruptedException {
        Instant since = Instant.now();
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject status = null;
        while (System.currentTimeMillis() < deadline) {
            status = api.get("/api/ledger").json();
            JsonValue found = status.get("repair");
            JsonObject repair = found instanceof JsonObject o ? o : null;
            if (repair != null && !Instant.parse(repair.getString("startedAt")).isBefore(since.minusMillis(50))) {
                JsonValue value = repair.get(field);
                boolean listed = value instanceof JsonNumber n ? n.intValue() > 0 : value.toString().contains(hash);
                if (listed) {
                    return repair;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no repair listing " + hash + " under " + field + " within 30 s: " + status);
    }

    private String messageText(String hash) {
        for (JsonValue v : api.get("/api/messages?limit=500").json().getJsonArray("messages")) {
            if (v.asJsonObject().getString("id").equals(hash)) {
                return v.asJsonObject().getString("text");
            }
        }
        throw new AssertionError("no message " + hash);
    }

    private Block exported(String hash) {
        for (JsonValue v : api.get("/api/ledger/blocks?limit=500").json().getJsonArray("blocks")) {
            if (v.asJsonObject().getString("hash").equals(hash)) {
                return Blocks.fromJson(v.asJsonObject());
            }
        }
        throw new AssertionError("no exported block " + hash);
    }

    private void assertProblem(String hash, String kind) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject status = null;
        while (System.currentTimeMillis() < deadline) {
            status = api.get("/api/ledger").json();
            for (JsonValue v : status.getJsonArray("problems")) {
                JsonObject p = v.asJsonObject();
                if (p.getString("kind").equals(kind) && (hash == null || hash.equals(p.getString("block", null)))) {
                    assertFalse(status.getBoolean("valid"));
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + kind + " problem for " + hash + " within 30 s: " + status);
    }

    private boolean awaitValid(boolean expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (api.post("/api/ledger/validate", "").json().getBoolean("valid") == expected) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static void assertRejected(HttpJson.Reply reply, String reason) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals(reason, reply.json().getString("reason"), reply.body());
    }

    /** The message blocks the ledger holds (every member's message counts here: nobody was removed). */
    private long messageBlocks() {
        long messages = 0;
        String after = null;
        while (true) {
            JsonObject page = api.get("/api/ledger/blocks?limit=500" + (after == null ? "" : "&after=" + after)).json();
            List<JsonObject> blocks = page.getJsonArray("blocks").getValuesAs(JsonObject.class);
            if (blocks.isEmpty()) {
                return messages;
            }
            messages += blocks.stream().filter(b -> b.getString("kind").equals("message")).count();
            after = page.getString("after");
        }
    }

    private long blocks() {
        JsonObject status = api.post("/api/ledger/validate", "").json();
        assertNotNull(status);
        return status.getJsonNumber("blocks").longValue();
    }

    private static String abbreviate(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "...(" + body.length() + " chars)" : body;
    }
}
