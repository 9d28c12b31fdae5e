package net.ledgerchat.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Facts about the Arquillian-managed node that the failsafe configuration sets up. */
final class Containers {
    private Containers() {
    }

    /** The container node's DATA_DIR starts empty for every run. */
    static void freshDataDir() {
        Path dir = Path.of(System.getenv("DATA_DIR"));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Arquillian reports the machine's external address; the node is reached on loopback. */
    static String localBase(URL deployment) {
        return "http://127.0.0.1:" + deployment.getPort();
    }

    static String dbUrl() {
        return System.getenv("LEDGERCHAT_DB_URL");
    }
}
