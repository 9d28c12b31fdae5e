package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts nodes that link over loopback: each gets its own data directory, ports chosen up front (so a peers
 * file can name a node that has not started yet), a peers file, and optionally the flight recording of
 * {@link JfrProfile}. Several nodes boot at once; the caller waits for all of them.
 */
final class PeerNodes {
    static final String HEAP = "512m";
    private final Path jar;
    private final Path root;
    private final Path workDir;
    private final Path logDir;
    private final Path jfrSettings;
    private final Duration timeout;

    /** {@code jfrSettings} null: no recording. */
    PeerNodes(Path jar, Path benchDir, Path jfrSettings, Duration timeout) {
        this.jar = jar;
        this.root = benchDir.resolve("data").resolve("peers");
        this.workDir = benchDir.resolve("work");
        this.logDir = benchDir.resolve("logs");
        this.jfrSettings = jfrSettings;
        this.timeout = timeout;
    }

    /** One node to start: its name (also its directory and log name) and the TCP ports of the peers it dials. */
    record Plan(String name, int webPort, int tcpPort, List<Integer> dials) {
    }

    /** Plans for {@code names}, on fresh ports; node i dials the nodes listed in {@code dials.get(i)}. */
    static List<Plan> plan(List<String> names, List<List<Integer>> dials) throws IOException {
        int[] ports = NodeProcess.freePorts(names.size() * 2);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<Integer> peerPorts = dials.get(i).stream().map(j -> ports[j * 2 + 1]).toList();
            plans.add(new Plan(names.get(i), ports[i * 2], ports[i * 2 + 1], peerPorts));
        }
        return plans;
    }

    Path dataDir(String name) {
        return root.resolve(name);
    }

    Path log(String name) {
        return logDir.resolve("node-" + name + ".log");
    }

    boolean profiled() {
        return jfrSettings != null;
    }

    /** Starts every planned node at once, on a fresh data directory, and waits until all are ready. */
    List<NodeProcess> startFresh(List<Plan> plans) throws IOException, InterruptedException {
        for (Plan p : plans) {
            NodeBenchmark.deleteTree(dataDir(p.name()));
        }
        return start(plans);
    }

    /** Starts every planned node at once on whatever its data directory holds, and waits until all are ready. */
    List<NodeProcess> start(List<Plan> plans) throws IOException, InterruptedException {
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (Plan p : plans) {
                nodes.add(spawn(p));
            }
            for (NodeProcess n : nodes) {
                n.awaitReady(timeout);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            stopAll(nodes);
            throw e;
        }
        return nodes;
    }

    /** Starts one planned node without waiting for it. */
    NodeProcess spawn(Plan p) throws IOException {
        Path dir = dataDir(p.name());
        Files.createDirectories(dir);
        Path peers = root.resolve(p.name() + "-peers.json");
        List<String> entries = p.dials().stream().map(port -> "{\"ip\":\"127.0.0.1\",\"port\":" + port + "}").toList();
        Files.writeString(peers, "{\"peers\":[" + String.join(",", entries) + "]}");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("PEERS_FILE", peers.toString());
        // A one-second base: nodes that boot together find each other within seconds, not RETRY_DELAY's default 3 s.
        settings.put("RETRY_DELAY", "1");
        List<String> jvm = jfrSettings == null ? List.of() : JfrProfile.jvmOptions(jfrSettings);
        NodeProcess.Launch launch = new NodeProcess.Launch(p.name(), HEAP, p.webPort(), p.tcpPort(), settings, jvm);
        NodeProcess node = NodeProcess.spawn(jar, dir, workDir, launch, log(p.name()));
        System.out.println("  started " + p.name() + ": " + node.commandLine());
        return node;
    }

    /** Waits until each node shows {@code peers} connected peers in GET /api/peers. */
    static void awaitLinked(List<NodeProcess> nodes, int peers, Duration timeout) throws InterruptedException, BenchFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (NodeProcess n : nodes) {
            while (LedgerState.connectedPeers(n.http()) < peers) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("node on port " + n.tcpPort() + " did not link to " + peers + " peer(s) within "
                            + timeout.toSeconds() + " s; its log ends with:\n" + n.tail(30));
                }
                Thread.sleep(100);
            }
        }
    }

    private static final java.time.format.DateTimeFormatter LOG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /**
     * When the node first logged a line containing {@code marker}, from the line's own millisecond stamp (the
     * node's local time, which is this JVM's: same machine, same environment).
     */
    static java.util.Optional<java.time.Instant> logTime(NodeProcess node, String marker) throws IOException {
        return logTimes(node, marker).stream().findFirst();
    }

    /** When the node logged each line containing {@code marker}, oldest first (a node that lives on links again). */
    static List<java.time.Instant> logTimes(NodeProcess node, String marker) throws IOException {
        List<java.time.Instant> times = new ArrayList<>();
        for (String line : node.readLog().split("\r?\n")) {
            if (line.contains(marker) && line.length() >= 23) {
                java.time.LocalDateTime at = java.time.LocalDateTime.parse(line.substring(0, 23), LOG_TIME);
                times.add(at.atZone(java.time.ZoneId.systemDefault()).toInstant());
            }
        }
        return times;
    }

    static void stopAll(List<NodeProcess> nodes) throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.stop();
        }
    }
}
