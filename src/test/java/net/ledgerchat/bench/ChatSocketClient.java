package net.ledgerchat.bench;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One chat page on a node's {@code /ws/chat} (the frames of {@code ChatFrames}), timing what it receives:
 * every frame is stamped with {@code System.nanoTime()} the moment its last part arrives, before it is
 * parsed, so parsing is never part of a figure. Pushed {@code message} frames are kept as "shown at" by
 * message id (a page that stays open for a whole run gets thousands); every other frame but {@code status}
 * is queued for {@link #answer}. Its own {@link HttpClient}, so two pages never share a reading thread.
 */
final class ChatSocketClient implements WebSocket.Listener, AutoCloseable {
    /** A frame from the node and when its last part arrived. */
    record Frame(long at, JsonObject json) {
        String type() {
            return text(json, "type");
        }
    }

    private final BlockingQueue<Frame> answers = new LinkedBlockingQueue<>();
    private final Map<String, Long> shown = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String broken;
    private WebSocket socket;

    private ChatSocketClient() {
    }

    /** Opens a page on the node's web port, with the Origin of the node's own pages. */
    static ChatSocketClient open(int webPort) throws Exception {
        ChatSocketClient page = new ChatSocketClient();
        page.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://127.0.0.1:" + webPort).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/ws/chat"), page).get(20, TimeUnit.SECONDS);
        return page;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long at = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            take(at, text);
        }
        webSocket.request(1);
        return null;
    }

    private void take(long at, String text) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            broken = "an unreadable frame: " + text;
            return;
        }
        switch (text(json, "type")) {
            case "message" -> shown.putIfAbsent(text(json.getJsonObject("message"), "id"), at);
            case "status" -> { }
            default -> answers.add(new Frame(at, json));
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        broken = "closed by the node (" + statusCode + " " + reason + ")";
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        broken = "failed: " + error;
    }

    /** Sends one frame; returns once the socket has written it. */
    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /**
     * The first queued frame with this {@code ref}, or null if none came within {@code timeoutNanos}.
     * Frames queued before it with another ref are dropped: they answer requests nobody waits for any more.
     */
    Frame answer(String ref, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Frame f = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null || ref.equals(text(f.json(), "ref"))) {
                return f;
            }
        }
    }

    /** When a {@code message} frame for this id first arrived, or -1. */
    long shownAt(String id) {
        return shown.getOrDefault(id, -1L);
    }

    int shownCount() {
        return shown.size();
    }

    /** Drops what the page was shown so far (the warm-up's thousands of messages). */
    void forgetShown() {
        shown.clear();
    }

    /** "open", or why the page stopped hearing from the node. */
    String state() {
        String b = broken;
        return b != null ? b : socket.isInputClosed() ? "input closed" : "open";
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static String text(JsonObject json, String field) {
        return json != null && json.get(field) instanceof JsonString s ? s.getString() : "";
    }
}
