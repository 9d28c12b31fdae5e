package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat page's WebSocket on two real linked nodes, spoken by a real WebSocket client: history,
 * a send acknowledged by its ref and pushed to every page, a peer's message pushed within 2 s, every
 * bad frame answered with an error while the socket stays usable, and a foreign Origin refused.
 */
class ChatSocketIT {

    /** One open page: the frames the node sent it, in order. */
    private static final class Page implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final java.util.List<JsonObject> unmatched = new java.util.ArrayList<>();
        WebSocket socket;

        static Page open(int webPort, String origin) throws Exception {
            Page page = new Page();
            page.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/ws/chat"), page).get(20, TimeUnit.SECONDS);
            return page;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }

        /**
         * The first frame matching {@code wanted} within {@code millis}; frames that do not match stay for
         * later calls (a pushed message may arrive before the acknowledgement of the send that made it).
         */
        JsonObject await(Predicate<JsonObject> wanted, long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (true) {
                for (java.util.Iterator<JsonObject> it = unmatched.iterator(); it.hasNext(); ) {
                    JsonObject frame = it.next();
                    if (wanted.test(frame)) {
                        it.remove();
                        return frame;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                JsonObject next = left <= 0 ? null : frames.poll(left, TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new AssertionError("no matching frame within " + millis + " ms; unmatched: " + unmatched);
                }
                unmatched.add(next);
            }
        }

        JsonObject await(String type) throws InterruptedException {
            return await(f -> f.getString("type").equals(type), 10_000);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPageSendsPagesBackAndSeesPeersMessagesLive() throws Exception {
        try (Pair pair = Pair.of("chat-socket", Map.of()).started()) {
            NodeProcess a = pair.a();
            int webA = pair.webPortA();
            int webB = pair.webPortB();
            HttpJson hb = pair.b().http();
            for (int i = 0; i < 3; i++) {
                assertEquals(201, a.http().sendMessage("before the page " + i).status());
            }

            try (Page page = Page.open(webA, "http://localhost:" + webA)) {
                JsonObject status = page.await("status");
                assertEquals("Ann", status.getString("name"));

                page.send("{\"type\":\"history\",\"limit\":2}");
                JsonObject history = page.await("history");
                assertEquals(2, history.getJsonArray("messages").size());
                assertEquals("before the page 2", history.getJsonArray("messages").getJsonObject(1).getString("text"));
                page.send("{\"type\":\"older\",\"before\":\"" + history.getString("before") + "\",\"limit\":50,\"ref\":\"catch-up 1\"}");
                JsonObject older = page.await("older");
                assertEquals("catch-up 1", older.getString("ref"), "a page answers with the request's ref");
                assertEquals("before the page 0", older.getJsonArray("messages").getJsonObject(0).getString("text"));
                assertTrue(older.isNull("before"), "the first message ends the history");

                page.send("{\"type\":\"send\",\"text\":\"hello <b>Bob</b>\",\"ref\":\"r-1\"}");
                JsonObject sent = page.await("sent");
                assertEquals("r-1", sent.getString("ref"));
                assertTrue(sent.getJsonObject("message").getBoolean("mine"));
                JsonObject pushed = page.await(f -> f.getString("type").equals("message")
                        && f.getJsonObject("message").getString("text").equals("hello <b>Bob</b>"), 5_000);
                assertFalse(pushed.getJsonObject("message").getString("order").isEmpty());

                long before = System.currentTimeMillis();
                assertEquals(201, hb.sendMessage("from Bob").status());
                JsonObject fromPeer = page.await(f -> f.getString("type").equals("message")
                        && f.getJsonObject("message").getString("text").equals("from Bob"), 2_000);
                assertFalse(fromPeer.getJsonObject("message").getBoolean("mine"));
                assertEquals("Bob", fromPeer.getJsonObject("message").getString("sender"));
                System.out.printf("[ChatSocketIT] a peer's message reached the page in %d ms%n",
                        System.currentTimeMillis() - before);

                // A page that lost its connection before "sent" repeats the send with its key: stored once.
                page.send("{\"type\":\"send\",\"text\":\"once only\",\"key\":\"page-key-0001\",\"ref\":\"k-1\"}");
                String keyed = page.await("sent").getJsonObject("message").getString("id");
                page.send("{\"type\":\"send\",\"text\":\"once only\",\"key\":\"page-key-0001\",\"ref\":\"k-2\"}");
                JsonObject repeated = page.await("sent");
                assertEquals("k-2", repeated.getString("ref"));
                assertEquals(keyed, repeated.getJsonObject("message").getString("id"));
                assertEquals(1, a.http().get("/api/messages?limit=500").json().getJsonArray("messages").stream()
                        .filter(m -> m.asJsonObject().getString("text").equals("once only")).count());
                page.send("{\"type\":\"send\",\"text\":\"once only\",\"key\":7,\"ref\":\"k-3\"}");
                assertTrue(page.await("error").getString("error").contains("key must be a string"));

                page.send("{\"type\":\"send\",\"text\":\"   \",\"ref\":\"r-2\"}");
                JsonObject empty = page.await("error");
                assertEquals("r-2", empty.getString("ref"));
                page.send("{\"type\":\"send\",\"text\":\"" + "x".repeat(16_385) + "\",\"ref\":\"r-3\"}");
                assertTrue(page.await("error").getString("error").contains("16384"));
                page.send("not json");
                assertTrue(page.await("error").getString("error").startsWith("malformed"));
                page.send("{\"type\":\"older\",\"before\":\"garbage\"}");
                page.await("error");
                page.send("{\"type\":\"dance\"}");
                page.await("error");
                page.send("{\"type\":\"history\"}");
                page.await("history");
            }

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> Page.open(webA, "http://evil.example"));
            assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
            assertThrows(ExecutionException.class, () -> Page.open(webA, "http://localhost:" + webB),
                    "another node's page");
        }
    }
}
