package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.ledgerchat.config.Database;
import net.ledgerchat.it.support.HttpJson;

/**
 * Starts nodes that link over loopback: each gets its own data directory, ports chosen up front (so a peers
 * file can name a node that has not started yet), a peers file, and optionally the flight recording of
 * {@link JfrProfile}. A group begins with one node (DESIGN section 7): the first planned node starts alone and
 * founds the group (or opens the one its data directory holds); then every other node starts at once, one whose
 * data directory already holds the group as it is, a fresh one with an invite the first node made for it
 * ({@code POST /api/invites}, the code in its INVITE setting). The caller waits until all are ready and every
 * fresh one has been admitted.
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

    /** Starts the planned nodes on fresh data directories: the first founds a group, the others join it by invite. */
    List<NodeProcess> startFresh(List<Plan> plans) throws IOException, InterruptedException {
        for (Plan p : plans) {
            NodeBenchmark.deleteTree(dataDir(p.name()));
        }
        return start(plans);
    }

    /**
     * Starts the first planned node on whatever its data directory holds (a fresh one founds a group) and waits
     * until it is ready; then every other at once, a fresh one with an invite the first made for it; waits until
     * all are ready and every node that joined is a member (it holds its own admit).
     */
    List<NodeProcess> start(List<Plan> plans) throws IOException, InterruptedException {
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            Plan firstPlan = plans.get(0);
            boolean firstHolds = holdsGroup(firstPlan.name());
            for (Plan p : plans.subList(1, plans.size())) {
                if (!firstHolds && holdsGroup(p.name())) {
                    throw new IllegalStateException(p.name() + " holds a group, but " + firstPlan.name()
                            + ", which would found one, holds none: they would be in different groups");
                }
            }
            NodeProcess first = spawn(firstPlan, null);
            nodes.add(first);
            first.awaitReady(timeout);
            List<NodeProcess> joiners = new ArrayList<>();
            for (Plan p : plans.subList(1, plans.size())) {
                String code = holdsGroup(p.name()) ? null : invite(first);
                NodeProcess node = spawn(p, code);
                nodes.add(node);
                if (code != null) {
                    joiners.add(node);
                }
            }
            for (NodeProcess n : nodes.subList(1, nodes.size())) {
                n.awaitReady(timeout);
            }
            for (NodeProcess n : joiners) {
                awaitMember(n, timeout);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            stopAll(nodes);
            throw e;
        }
        return nodes;
    }

    /** Whether the node's data directory holds a database, so a group it founded or joined (it needs no invite). */
    boolean holdsGroup(String name) {
        return Files.exists(new Database.H2(dataDir(name).toAbsolutePath()).file());
    }

    /** Starts one planned node without waiting for it, with no invite (it holds its group, or founds one). */
    NodeProcess spawn(Plan p) throws IOException {
        return spawn(p, null);
    }

    /** Starts one planned node without waiting for it; {@code invite} non-null: the code it joins its group with. */
    NodeProcess spawn(Plan p, String invite) throws IOException {
        Path dir = dataDir(p.name());
        Files.createDirectories(dir);
        Path peers = root.resolve(p.name() + "-peers.json");
        List<String> entries = p.dials().stream().map(port -> "{\"ip\":\"127.0.0.1\",\"port\":" + port + "}").toList();
        Files.writeString(peers, "{\"peers\":[" + String.join(",", entries) + "]}");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("PEERS_FILE", peers.toString());
        // A one-second base: nodes that boot together find each other within seconds, not RETRY_DELAY's default 3 s.
        settings.put("RETRY_DELAY", "1");
        if (invite != null) {
            settings.put("INVITE", invite);
        }
        List<String> jvm = jfrSettings == null ? List.of() : JfrProfile.jvmOptions(jfrSettings);
        NodeProcess.Launch launch = new NodeProcess.Launch(p.name(), HEAP, p.webPort(), p.tcpPort(), settings, jvm);
        NodeProcess node = NodeProcess.spawn(jar, dir, workDir, launch, log(p.name()));
        System.out.println("  started " + p.name() + (invite == null ? "" : " (joining by invite)") + ": "
                + node.commandLine());
        return node;
    }

    /** An invite made by {@code member} ({@code POST /api/invites}, a week's validity): the code a joiner's INVITE takes. */
    static String invite(NodeProcess member) throws IOException {
        HttpJson.Reply reply = member.http().post("/api/invites", "{}");
        if (reply.status() != 201) {
            throw new NodeProcess.NodeFailedException("POST /api/invites on the node on port " + member.tcpPort()
                    + " answered " + reply.status() + ": " + reply.body() + "; its log ends with:\n" + member.tail(20));
        }
        return reply.json().getString("code");
    }

    /**
     * Waits until {@code node} lists itself among the members ({@code GET /api/members}): a member admitted it and
     * the admit reached it, so it holds the group's history up to there and may send.
     */
    static void awaitMember(NodeProcess node, Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String key = node.http().get("/api/node").json().getString("key");
        while (!isMember(node, key)) {
            if (System.nanoTime() - t0 > timeout.toNanos() || !node.alive()) {
                throw new NodeProcess.NodeFailedException("the node on port " + node.tcpPort() + " was not admitted to"
                        + " the group within " + timeout.toSeconds() + " s of being ready; its log ends with:\n"
                        + node.tail(30));
            }
            Thread.sleep(100);
        }
        System.out.printf(java.util.Locale.ROOT, "  the node on port %d is a member, %.1f s after it was ready%n",
                node.tcpPort(), (System.nanoTime() - t0) / 1e9);
    }

    private static boolean isMember(NodeProcess node, String key) {
        HttpJson.Reply reply = node.http().get("/api/members");
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /api/members answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().getJsonArray("members").stream()
                .anyMatch(m -> key.equals(m.asJsonObject().getString("key", "")));
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
