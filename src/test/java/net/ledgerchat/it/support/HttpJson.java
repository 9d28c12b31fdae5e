package net.ledgerchat.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON-over-HTTP client for tests and benchmarks: status code plus parsed body. */
public final class HttpJson {
    private final String base;
    private final HttpClient client;

    /** {@code base} such as {@code http://127.0.0.1:8001}; paths are appended as given. */
    public HttpJson(String base) {
        this(base, HttpClient.Version.HTTP_2);
    }

    /**
     * With {@code version} HTTP_1_1 the client never offers the cleartext HTTP/2 upgrade (h2c) that the JDK's client
     * offers by default: it speaks what curl, scripts and browsers speak to an {@code http://} address.
     */
    public HttpJson(String base, HttpClient.Version version) {
        this.client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public record Reply(int status, String body) {
        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Reply post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    public Reply put(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** POST {@code /api/messages} with {@code text} properly JSON-escaped. */
    public Reply sendMessage(String text) {
        return post("/api/messages", Json.createObjectBuilder().add("text", text).build().toString());
    }

    /** The same with an {@code Idempotency-Key} header: a repeat answers with the message the first send stored. */
    public Reply sendMessage(String text, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/messages")).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("text", text).build().toString())));
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
