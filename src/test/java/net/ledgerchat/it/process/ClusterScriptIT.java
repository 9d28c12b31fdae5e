package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/cluster.sh} as a user runs it: {@code start 3}, {@code status}, {@code stop}, with only
 * CLUSTER_DIR (a directory under target/), WEB_BASE and TCP_BASE set. The three nodes it starts take
 * concurrent sends through their REST APIs and converge to one ordered list with equal heads; after
 * {@code stop} their processes are gone and their ports free. Uses the jar {@code mvn package} built.
 */
class ClusterScriptIT {
    private static final int NODES = 3;
    private static final int EACH = 20;
    /** Three first boots at once on two shared cores, plus the script's own waiting. */
    private static final Duration START = Duration.ofMinutes(5);
    /** The script's stop: SIGTERM, up to 30 s, then kill -9. */
    private static final Duration STOP = Duration.ofSeconds(60);

    /** Numbers the script's output files, so a second status does not overwrite the first. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** What one run of the script printed, and how it exited. */
    private record Run(int exit, String output) {
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void startThreeTakeConcurrentSendsConvergeAndStopCleanly() throws Exception {
        Path repo = NodeProcess.nodeJar().toAbsolutePath().getParent().getParent();
        Path script = repo.resolve("scripts/cluster.sh");
        assertTrue(Files.isExecutable(script), script + " is not executable");
        Path dir = NodeProcess.freshTestDir("cluster-script");
        Path clusterDir = dir.resolve("cluster");
        int webBase = freePortRange(-1);
        int tcpBase = freePortRange(webBase);
        Map<String, String> env = NodeProcess.systemEnvironment();
        env.put("CLUSTER_DIR", clusterDir.toString());
        env.put("WEB_BASE", Integer.toString(webBase));
        env.put("TCP_BASE", Integer.toString(tcpBase));
        List<Long> pids = List.of();
        try {
            Run start = run(script, env, dir, START, "start", Integer.toString(NODES));
            pids = pids(clusterDir);
            assertEquals(0, start.exit(), "start failed:\n" + start.output() + logTails(clusterDir));
            assertEquals(NODES, pids.size(), "the script keeps its pids under CLUSTER_DIR: " + pids);
            for (int i = 0; i < NODES; i++) {
                assertTrue(start.output().contains("node " + (i + 1) + " ready: http://localhost:" + (webBase + i)),
                        start.output());
                assertTrue(Files.isRegularFile(clusterDir.resolve("node-" + (i + 1)).resolve("node.log")));
            }

            Run status = run(script, env, dir, STOP, "status");
            assertEquals(0, status.exit(), status.output());
            for (int i = 0; i < NODES; i++) {
                assertTrue(status.output().contains("node " + (i + 1) + " (pid " + pids.get(i) + ", running): http://localhost:"
                        + (webBase + i) + "/  peer port " + (tcpBase + i)), status.output());
            }

            List<HttpJson> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                nodes.add(new HttpJson("http://127.0.0.1:" + (webBase + i)));
            }
            Set<String> sent = sendConcurrently(nodes);
            LedgerView.awaitSame(nodes, NODES * EACH, Duration.ofSeconds(90));
            assertEquals(sent, new HashSet<>(LedgerView.messageTexts(nodes.get(0))), "every message, each once");

            Run stop = run(script, env, dir, STOP, "stop");
            assertEquals(0, stop.exit(), stop.output());
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node pid " + pid
                        + " still runs after stop");
            }
            for (int i = 0; i < NODES; i++) {
                assertTrue(NodeProcess.portIsFree(webBase + i), "web port " + (webBase + i) + " still taken");
                assertTrue(NodeProcess.portIsFree(tcpBase + i), "peer port " + (tcpBase + i) + " still taken");
            }
            assertEquals("no cluster is running", run(script, env, dir, STOP, "status").output().strip());
        } finally {
            // Whatever failed above, no node outlives the test.
            if (Files.exists(clusterDir.resolve("pids"))) {
                run(script, env, dir, STOP, "stop");
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** {@link #EACH} messages on every node at once, from one thread per node; the texts sent. */
    private static Set<String> sendConcurrently(List<HttpJson> nodes) throws Exception {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(nodes.size(),
                task -> new Thread(task, "cluster-send-" + threads.incrementAndGet()));
        try {
            List<Future<List<String>>> sending = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                HttpJson node = nodes.get(n);
                String prefix = "node " + (n + 1) + " says ";
                sending.add(senders.submit(() -> {
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < EACH; i++) {
                        String text = prefix + i;
                        HttpJson.Reply reply = node.sendMessage(text);
                        assertEquals(201, reply.status(), reply.body());
                        texts.add(text);
                    }
                    return texts;
                }));
            }
            Set<String> sent = new HashSet<>();
            for (Future<List<String>> f : sending) {
                sent.addAll(f.get(2, TimeUnit.MINUTES));
            }
            return sent;
        } finally {
            senders.shutdownNow();
        }
    }

    /** Runs {@code cluster.sh args} with exactly {@code env}, from {@code workDir}; fails if it outlives {@code limit}. */
    private static Run run(Path script, Map<String, String> env, Path workDir, Duration limit, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path output = workDir.resolve("cluster-" + RUNS.incrementAndGet() + "-" + args[0] + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("cluster.sh " + String.join(" ", args) + " still ran after " + limit.toSeconds() + " s:\n"
                    + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static List<Long> pids(Path clusterDir) throws IOException {
        Path file = clusterDir.resolve("pids");
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Long::parseLong)
                .toList() : List.of();
    }

    private static String logTails(Path clusterDir) throws IOException {
        StringBuilder tails = new StringBuilder();
        for (int i = 1; i <= NODES; i++) {
            Path log = clusterDir.resolve("node-" + i).resolve("node.log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                tails.append("\n--- ").append(log).append(" ends with:\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        }
        return tails.toString();
    }

    /**
     * A base port whose {@link #NODES} ports are all free, below the ephemeral range like
     * {@link NodeProcess#freePort}, and clear of the range starting at {@code avoid}.
     */
    private static int freePortRange(int avoid) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(NodeProcess.PORTS_FROM, NodeProcess.PORTS_TO - NODES);
            boolean clash = avoid > 0 && Math.abs(base - avoid) < NODES;
            boolean free = true;
            for (int i = 0; i < NODES && free; i++) {
                free = NodeProcess.portIsFree(base + i);
            }
            if (free && !clash) {
                return base;
            }
        }
        throw new AssertionError("no " + NODES + " consecutive free ports between " + NodeProcess.PORTS_FROM + " and "
                + NodeProcess.PORTS_TO);
    }
}
