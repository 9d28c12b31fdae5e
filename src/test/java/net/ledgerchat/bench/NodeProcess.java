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
    /**
     * Settings the node reads from its environment; inherited values would change what is measured (GROUP_ID is
     * no longer read, but a node started with it refuses to start, so an inherited one goes too).
     */
    private static final List<String> SETTINGS = List.of("CLIENT_NAME", "USER_TIMEZONE", "WEB_PORT", "TCP_SERVER_PORT",
            "BIND_ADDRESS", "ADAPTER_NAME", "PEERS_FILE", "DATA_DIR", "GROUP_ID", "GROUP_NAME", "INVITE", "PEER_HOST",
            "ALLOWED_ORIGINS", "DB_SERVER", "DB_PORT", "DB_NAME",
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
    private final int tcpPort;
    private final long spawned;
    private final String commandLine;
    private final HttpJson http;
    private final HttpClient longClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Duration startup = Duration.ZERO;

    private NodeProcess(Process process, Path log, int webPort, int tcpPort, String commandLine, long spawned) {
        this.process = process;
        this.log = log;
        this.webPort = webPort;
        this.tcpPort = tcpPort;
        this.spawned = spawned;
        this.commandLine = commandLine;
        this.http = new HttpJson(base());
    }

    /**
     * How to start one node beyond its data directory: ports, extra settings (a peers file, a sync interval) and
     * JVM options (a flight recording). Settings given here override the benchmark's defaults. {@code maxHeap} null:
     * the JVM's default, as the README's {@code java -jar} starts a node.
     */
    record Launch(String name, String maxHeap, int webPort, int tcpPort, Map<String, String> settings,
                  List<String> jvmOptions) {
        Launch {
            settings = Map.copyOf(settings);
            jvmOptions = List.copyOf(jvmOptions);
        }

        static Launch onFreePorts(String name, String maxHeap) throws IOException {
            int[] ports = freePorts(2);
            return new Launch(name, maxHeap, ports[0], ports[1], Map.of(), List.of());
        }
    }

    /**
     * Starts a node and waits until it says it is ready and {@code GET /api/node} answers 200. A node started on a
     * data directory that holds no group, without an INVITE setting, founds a group of its own.
     */
    static NodeProcess start(Path jar, Path dataDir, Path workDir, String name, String maxHeap, Path log,
                             Duration timeout) throws IOException, InterruptedException {
        return start(jar, dataDir, workDir, Launch.onFreePorts(name, maxHeap), log, timeout);
    }

    static NodeProcess start(Path jar, Path dataDir, Path workDir, Launch launch, Path log, Duration timeout)
            throws IOException, InterruptedException {
        NodeProcess node = spawn(jar, dataDir, workDir, launch, log);
        try {
            node.awaitReady(timeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            node.stop();
            throw e;
        }
        return node;
    }

    /** Starts the process without waiting: several nodes may then boot at once ({@link #awaitReady}). */
    static NodeProcess spawn(Path jar, Path dataDir, Path workDir, Launch launch, Path log) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(workDir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (launch.maxHeap() != null) {
            command.add("-Xmx" + launch.maxHeap());
        }
        command.addAll(launch.jvmOptions());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        SETTINGS.forEach(env::remove);
        env.keySet().removeIf(k -> k.startsWith("LEDGERCHAT_"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("DATA_DIR", dataDir.toAbsolutePath().toString());
        settings.put("WEB_PORT", Integer.toString(launch.webPort()));
        settings.put("TCP_SERVER_PORT", Integer.toString(launch.tcpPort()));
        settings.put("CLIENT_NAME", launch.name());
        // One timer validation runs 2 s after start; a day's interval keeps later ones out of the measurements.
        settings.put("SYNC_INTERVAL", "86400");
        settings.putAll(launch.settings());
        env.putAll(settings);
        StringBuilder shown = new StringBuilder();
        // An invite code carries the secret that admits the node: the printed command names it, never shows it.
        settings.forEach((k, v) -> shown.append(k).append('=').append(k.equals("INVITE") ? "<invite code>" : v)
                .append(' '));
        shown.append(String.join(" ", command));
        long t0 = System.nanoTime();
        Process process = builder.start();
        LIVE.add(process);
        return new NodeProcess(process, log, launch.webPort(), launch.tcpPort(), shown.toString(), t0);
    }

    /** Waits until the node says it is ready and {@code GET /api/node} answers 200; fails with its log's tail. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
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
                        startup = Duration.ofNanos(System.nanoTime() - spawned);
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

    int webPort() {
        return webPort;
    }

    int tcpPort() {
        return tcpPort;
    }

    /** System.nanoTime() when the process was started. */
    long spawnedNanos() {
        return spawned;
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

    /** Runs {@code jcmd <pid> args...} and returns its output; fails with that output if jcmd does. */
    String jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(process.pid()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", args) + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + out.strip());
        }
        return out;
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

    static int[] freePorts(int count) throws IOException {
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
