package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.ledgerchat.it.support.HttpJson;

/**
 * One chat node as a real operating-system process: {@code java -Xmx512m -jar chat-node.jar} with
 * a chosen working directory and a chosen environment (nothing of the test JVM's own node
 * settings leaks in: the environment is rebuilt from a short list of system variables plus the
 * given map). Output and errors of each launch go to one readable log file,
 * {@code <logDir>/<name>-<launch>.log}.
 */
public final class NodeProcess implements AutoCloseable {
    /**
     * How long a boot may take before the test gives up. A lone boot takes about 11 s; two or three at once on a
     * shared two-core machine under a load of 20 took over 180 s (HostilePeerIT, PeersIT), still progressing.
     * A node that dies instead is reported at once, so only a hung boot waits this long.
     */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(300);
    /** How long a SIGTERM'd or killed node may take to exit. */
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_WEB_PORT = 8001;
    private static final int TAIL_LINES = 60;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    /** Operating-system variables a JVM needs; every node setting comes from the caller's map only. */
    private static final List<String> SYSTEM_VARIABLES = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR",
            "JAVA_HOME", "SystemRoot", "SYSTEMROOT", "WINDIR", "TEMP", "TMP", "COMSPEC", "PATHEXT");
    /** Where {@link #freePort} looks: clear of well-known ports and of every common ephemeral range. */
    public static final int PORTS_FROM = 20_000;
    public static final int PORTS_TO = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** Nodes still running when the test JVM stops (a timeout, a crash) are killed rather than left behind. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NodeProcess::killTree), "node-process-reaper"));
    }

    private final String name;
    private final Path workDir;
    private final Path logDir;
    private final Map<String, String> environment;
    private volatile String invite;
    private final int webPort;
    private final HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Path logFile;
    private int launches;

    /**
     * @param name        for log file names, e.g. {@code node}
     * @param workDir     the process's working directory (where {@code ./data} and {@code ./.env} are looked for)
     * @param logDir      where the log files go
     * @param environment the node's settings (DATA_DIR, WEB_PORT, ...); nothing else is passed
     */
    public NodeProcess(String name, Path workDir, Path logDir, Map<String, String> environment) {
        this.name = name;
        this.workDir = workDir.toAbsolutePath();
        this.logDir = logDir.toAbsolutePath();
        this.environment = Map.copyOf(environment);
        String port = environment.get("WEB_PORT");
        this.webPort = port == null ? DEFAULT_WEB_PORT : Integer.parseInt(port);
    }

    /** The uber-jar under test, from the {@code node.jar} system property that failsafe passes. */
    public static Path nodeJar() {
        String jar = System.getProperty("node.jar");
        assertTrue(jar != null && !jar.isBlank(), "system property node.jar is not set (run through mvn verify)");
        Path path = Path.of(jar);
        assertTrue(Files.isRegularFile(path), "node.jar " + path + " does not exist: run mvn -DskipTests package first");
        return path;
    }

    /** A fresh, empty directory {@code <it.data>/<testName>} (what an earlier run left there is deleted first). */
    public static Path freshTestDir(String testName) {
        Path root = Path.of(System.getProperty("it.data", "target/it-data")).toAbsolutePath();
        Path dir = root.resolve(testName.replaceAll("[^A-Za-z0-9._-]", "_"));
        deleteTree(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * The operating-system variables a JVM needs, from this JVM's environment, and nothing else: no node
     * setting failsafe gives the test JVM (DATA_DIR, TCP_SERVER_PORT, ...) may leak into a node.
     */
    public static Map<String, String> systemEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : SYSTEM_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null) {
                env.put(variable, value);
            }
        }
        return env;
    }

    /**
     * A TCP port nobody listens on right now, from {@link #PORTS_FROM} up to {@link #PORTS_TO}: below the
     * ephemeral range (Linux hands out 32768 and up), because a node binds its ports many seconds after this
     * check, and meanwhile any bind to port 0 may take an ephemeral one. PeersIT once lost a restarted node's
     * peer port so, to a listener that answered in binary (most likely the node's own H2 AUTO_SERVER, which
     * binds port 0). A port
     * is handed out once per test JVM, so two nodes never get the same one before either has bound it.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(PORTS_FROM, PORTS_TO);
            if (portIsFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + PORTS_FROM + " and " + PORTS_TO);
    }

    /** True if {@code port} can be bound on all interfaces, as the node would. */
    public static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The invite this node joins its group with on its next start ({@code INVITE}); a node that already joined
     * ignores it, so later restarts may keep it.
     */
    public NodeProcess joining(String inviteCode) {
        invite = inviteCode;
        return this;
    }

    /** Launches the process without waiting for anything. */
    public NodeProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        launches++;
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logDir);
            Path tmp = logDir.resolve("tmp");
            Files.createDirectories(tmp);
            logFile = logDir.resolve(name + "-" + launches + ".log");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            // java.io.tmpdir under target/: Payara Micro unpacks itself there, and a kill -9 leaves that behind.
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx512m", "-Djava.io.tmpdir=" + tmp,
                    "-jar", nodeJar().toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(systemEnvironment());
            env.putAll(environment);
            if (invite != null) {
                env.put("INVITE", invite);
            }
            process = builder.start();
            LIVE.add(process);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Starts the node and waits until it serves {@code /api/node}. */
    public NodeProcess startAndAwaitReady() {
        start();
        awaitReady();
        return this;
    }

    /**
     * Polls {@code GET /api/node} until it answers 200; fails with the log's tail if the process
     * exits first or {@link #READY_TIMEOUT} passes.
     */
    public void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/node"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        int lastStatus = -1;
        String lastError = "none";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited with code " + process.exitValue() + " before it was ready; log " + logFile
                        + " ends with:\n" + logTail());
            }
            try {
                HttpResponse<Void> response = probe.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                lastStatus = response.statusCode();
            } catch (IOException e) {
                // Not listening yet; kept for the failure message if it never is.
                lastError = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            pause(Duration.ofMillis(200));
        }
        fail(name + " did not answer GET /api/node with 200 within " + READY_TIMEOUT.toSeconds() + " s (last status "
                + lastStatus + ", last error " + lastError + "); log " + logFile + " ends with:\n" + logTail());
    }

    /** Waits for the process to exit by itself and returns its exit code; fails (with the log tail) if it does not. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " was still running after " + timeout.toSeconds() + " s; log " + logFile
                        + " ends with:\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** SIGTERM (an orderly shutdown) and wait for the exit; returns the exit code. */
    public int terminate() {
        requireStarted();
        process.destroy();
        return awaitExit(EXIT_TIMEOUT);
    }

    /** SIGKILL ({@code kill -9}: no shutdown hooks, no flushing) and wait for the exit; returns the exit code. */
    public int kill() {
        requireStarted();
        process.destroyForcibly();
        return awaitExit(EXIT_TIMEOUT);
    }

    /** SIGTERM if still running, then start again with the same directory and settings and wait until ready. */
    public NodeProcess restart() {
        if (isAlive()) {
            terminate();
        }
        return startAndAwaitReady();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code of the last launch; fails if it is still running. */
    public int exitCode() {
        requireStarted();
        if (process.isAlive()) {
            fail(name + " is still running (pid " + process.pid() + ")");
        }
        return process.exitValue();
    }

    /** Everything the current (or last) launch wrote to stdout and stderr, colour codes removed. */
    public String logText() {
        if (logFile == null || !Files.exists(logFile)) {
            return "";
        }
        try {
            return ANSI.matcher(new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's lines of the current (or last) launch. */
    public List<String> logLines() {
        return logText().lines().toList();
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    public Path logFile() {
        return logFile;
    }

    public Path workDir() {
        return workDir;
    }

    public int webPort() {
        return webPort;
    }

    public String baseUrl() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + webPort;
    }

    /** A JSON client for this node's API. */
    public HttpJson http() {
        return new HttpJson(baseUrl());
    }

    public String name() {
        return name;
    }

    /** Kills whatever is still running. */
    @Override
    public void close() {
        if (process != null) {
            killTree(process);
            try {
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(process);
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? " (not started)" : " (pid " + process.pid() + ", log " + logFile + ")");
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear " + dir, e);
            }
        }
    }
}
