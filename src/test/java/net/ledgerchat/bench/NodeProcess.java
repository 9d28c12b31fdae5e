package net.ledgerchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.support.HttpJson;

/**
 * One chat node started from the uber-jar as a child process: fresh free ports, its output in a
 * log file, stopped with SIGTERM ({@link Process#destroy()}). A JVM shutdown hook stops every node
 * still running, so an interrupted benchmark leaves no orphan behind.
 */
final class NodeProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** Settings the node reads from its environment; inherited values would change what is measured. */
    private static final List<String> SETTINGS = List.of("CLIENT_NAME", "USER_TIMEZONE", "WEB_PORT", "TCP_SERVER_PORT",
            "BIND_ADDRESS", "ADAPTER_NAME", "PEERS_FILE", "DATA_DIR", "GROUP_ID", "DB_SERVER", "DB_PORT", "DB_NAME",
            "DB_USER", "DB_PASSWORD", "DB_ENCRYPT", "DB_TRUST_SERVER_CERTIFICATE", "MAX_RETRIES", "RETRY_DELAY",
            "MAX_CLIENTS", "SYNC_INTERVAL", "SYNC_BATCH_SIZE", "MAX_MESSAGE_BYTES", "MAX_CLOCK_SKEW", "ENV_FILE",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final String READY = "is ready";
    /** The launcher's main thread died: Payara's threads may keep the process alive, but it will never be ready. */
    private static final String LAUNCHER_CRASH = "Exception in thread \"main\"";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.destroy();
            }
            for (Process p : LIVE) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }, "bench-node-reaper"));
    }

    private final Process process;
    private final Path log;
    private final int webPort;
    private final String commandLine;
    private final HttpJson http;
    private final HttpClient longClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Duration startup = Duration.ZERO;

    private NodeProcess(Process process, Path log, int webPort, String commandLine) {
        this.process = process;
        this.log = log;
        this.webPort = webPort;
        this.commandLine = commandLine;
        this.http = new HttpJson(base());
    }

    /** Starts a node and waits until it says it is ready and {@code GET /api/node} answers 200. */
    static NodeProcess start(Path jar, Path dataDir, Path workDir, String name, String maxHeap, Path log,
                             Duration timeout) throws IOException, InterruptedException {
        int[] ports = freePorts(2);
        Files.createDirectories(dataDir);
        Files.createDirectories(workDir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-jar", jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        SETTINGS.forEach(env::remove);
        env.keySet().removeIf(k -> k.startsWith("LEDGERCHAT_"));
        env.put("DATA_DIR", dataDir.toAbsolutePath().toString());
        env.put("WEB_PORT", Integer.toString(ports[0]));
        env.put("TCP_SERVER_PORT", Integer.toString(ports[1]));
        env.put("CLIENT_NAME", name);
        // One timer validation runs 2 s after start; a day's interval keeps later ones out of the measurements.
        env.put("SYNC_INTERVAL", "86400");
        String shown = "DATA_DIR=" + dataDir.toAbsolutePath() + " WEB_PORT=" + ports[0] + " TCP_SERVER_PORT=" + ports[1]
                + " CLIENT_NAME=" + name + " SYNC_INTERVAL=86400 " + String.join(" ", command);
        long t0 = System.nanoTime();
        Process process = builder.start();
        LIVE.add(process);
        NodeProcess node = new NodeProcess(process, log, ports[0], shown);
        try {
            node.awaitReady(timeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            node.stop();
            throw e;
        }
        node.startup = Duration.ofNanos(System.nanoTime() - t0);
        return node;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean said = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new NodeFailedException("the node exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + log + ":\n" + tail(60));
            }
            if (!said) {
                String text = readLog();
                said = text.contains(READY);
                int crash = text.indexOf(LAUNCHER_CRASH);
                if (!said && crash >= 0) {
                    String line = text.substring(crash).lines().limit(2).reduce((x, y) -> x + " / " + y).orElse("");
                    throw new NodeFailedException("the node launcher failed (" + line.strip() + "); last lines of "
                            + log + ":\n" + tail(60));
                }
            }
            if (said) {
                try {
                    if (http.get("/api/node").status() == 200) {
                        return;
                    }
                } catch (UncheckedIOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(250);
        }
        throw new NodeFailedException("the node was not ready within " + timeout.toSeconds() + " s; last lines of "
                + log + ":\n" + tail(60));
    }

    String base() {
        return "http://127.0.0.1:" + webPort;
    }

    HttpJson http() {
        return http;
    }

    Duration startup() {
        return startup;
    }

    String commandLine() {
        return commandLine;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** CPU seconds the node process has used so far (all threads), or NaN if the OS does not say. */
    double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** Runs a full GC in the node ({@code jcmd <pid> GC.run}), so the heap read next is what is still live. */
    boolean fullGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || !process.isAlive()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A POST that may take long (a full signature pass): HttpJson's own client gives up after 60 s. */
    HttpJson.Reply postLong(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = longClient.send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpJson.Reply(response.statusCode(), response.body());
    }

    /** Stops the node with SIGTERM and waits for it; kills it if it does not stop within 2 minutes. */
    int stop() throws InterruptedException {
        if (!process.isAlive()) {
            LIVE.remove(process);
            return process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            System.out.println("  WARNING: the node did not stop within 120 s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String readLog() throws IOException {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }

    String tail(int lines) {
        try {
            List<String> all = List.of(readLog().split("\r?\n"));
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }

    /** The node did not come up; the message carries the tail of its log. */
    static final class NodeFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        NodeFailedException(String message) {
            super(message);
        }
    }
}
