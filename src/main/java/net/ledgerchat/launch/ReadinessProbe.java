package net.ledgerchat.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks the booted node for {@code /api/node} until the application answers or the deadline passes. */
final class ReadinessProbe {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private final URI uri;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ReadinessProbe(int webPort) {
        this.uri = URI.create("http://127.0.0.1:" + webPort + "/api/node");
    }

    boolean awaitReady() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                // Payara answers 404 when the application failed to deploy: that is final, not "not yet".
                return response.statusCode() == 200;
            } catch (IOException e) {
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
