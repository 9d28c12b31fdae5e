package net.ledgerchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a node's time goes during a phase, from a flight recording (JFR) the node runs from its start:
 * JDK's "profile" settings (a Java stack sample of up to five running threads every 10 ms), except that
 * every file write and force (fsync) is recorded, not only those over 10 ms, so the number of commits
 * that reach the disk can be counted. The recording is dumped with jcmd and read here, keeping only the
 * events inside the phase's window. Execution samples see threads running Java code, not threads
 * waiting; waits are read from the file events.
 */
final class JfrProfile {
    static final String RECORDING = "bench";
    /** Events of a thread not running, recorded when they last over the profile's threshold (10-20 ms). */
    private static final Map<String, String> WAITS = Map.of("jdk.SocketRead", "socket read", "jdk.ThreadPark", "park",
            "jdk.JavaMonitorEnter", "monitor enter", "jdk.JavaMonitorWait", "monitor wait", "jdk.SocketWrite",
            "socket write");
    /**
     * Where a peer node's time is known to go, by a method that is on the stack while it does (labels in the order
     * shown). Shares overlap where one contains another (the JTA commit contains H2's).
     */
    private static final Map<String, String> HOT_SPOTS = hotSpots();

    private static Map<String, String> hotSpots() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("JTA commit", "UserTransactionImpl.commit");
        m.put("(of it H2 MVStore.commit)", "org.h2.mvstore.MVStore.commit");
        m.put("stored-block event to peers", "PeerService.onStored");
        m.put("JSON provider lookup per Json.create*", "jakarta.json.spi.JsonProvider.provider");
        m.put("Ed25519 verify", "java.security.Signature.verify");
        m.put("Ed25519 sign", "java.security.Signature.sign");
        m.put("duplicate check (repository.contains)", "LedgerRepository.contains");
        m.put("sync plan (SyncPlanner.missing)", "SyncPlanner.missing");
        m.put("blocks read to send (repository.find)", "LedgerRepository.find");
        m.put("JAX-RS GET /api/ledger", "LedgerResource.status");
        m.put("JAX-RS POST /api/messages", "MessagesResource.send");
        return m;
    }

    /** What a window of the recording says, for one node. */
    record Summary(long samples, Map<String, Long> byThread, Map<String, Long> hotSpots, String busiestThread,
                   long busiestSamples, Map<String, Long> calls, Map<String, Long> libraries,
                   Map<String, Double> busiestWaits, long forces, double forceSeconds,
                   long writes, long writeBytes, double writeSeconds) {
    }

    private JfrProfile() {
    }

    /** The settings file: JDK's profile.jfc with file I/O thresholds at 0 ms. Written once per run. */
    static Path settings(Path dir) throws IOException {
        Path source = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        String text = Files.readString(source).replace(
                "<setting name=\"threshold\" control=\"file-threshold\">10 ms</setting>",
                "<setting name=\"threshold\" control=\"file-threshold\">0 ms</setting>");
        Files.createDirectories(dir);
        Path target = dir.resolve("bench-profile.jfc");
        Files.writeString(target, text);
        return target;
    }

    static List<String> jvmOptions(Path settings) {
        // Payara's EJB and JTA layers make deep stacks: JFR's default of 64 frames would cut our own frames off.
        return List.of("-XX:FlightRecorderOptions=stackdepth=256",
                "-XX:StartFlightRecording=name=" + RECORDING + ",settings=" + settings + ",maxage=2h");
    }

    /** Writes the node's recording so far to {@code file}. */
    static Path dump(NodeProcess node, Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        node.jcmd("JFR.dump", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
        return file;
    }

    static Summary summarize(Path file, Instant from, Instant to) throws IOException {
        Map<String, Long> byGroup = new HashMap<>();
        Map<Long, List<RecordedStackTrace>> stacks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Map<String, Double>> waits = new HashMap<>();
        Map<String, Long> hot = new java.util.LinkedHashMap<>();
        long samples = 0;
        double[] io = new double[5];
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                Instant at = e.getStartTime();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                String type = e.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    RecordedThread thread = e.getThread("sampledThread");
                    byGroup.merge(group(thread), 1L, Long::sum);
                    if (e.getStackTrace() != null) {
                        countHotSpots(e.getStackTrace().getFrames(), hot);
                    }
                    if (thread != null && e.getStackTrace() != null) {
                        names.put(thread.getJavaThreadId(), group(thread) + " #" + thread.getJavaThreadId());
                        stacks.computeIfAbsent(thread.getJavaThreadId(), t -> new ArrayList<>()).add(e.getStackTrace());
                    }
                } else if (type.equals("jdk.FileForce")) {
                    io[0]++;
                    io[1] += e.getDuration().toNanos() / 1e9;
                } else if (type.equals("jdk.FileWrite")) {
                    io[2]++;
                    io[3] += Math.max(0, e.getLong("bytesWritten"));
                    io[4] += e.getDuration().toNanos() / 1e9;
                } else if (WAITS.containsKey(type) && e.getThread() != null) {
                    waits.computeIfAbsent(e.getThread().getJavaThreadId(), t -> new HashMap<>())
                            .merge(WAITS.get(type), e.getDuration().toNanos() / 1e9, Double::sum);
                }
            }
        }
        long busiest = stacks.entrySet().stream().max(Comparator.comparingInt(en -> en.getValue().size()))
                .map(Map.Entry::getKey).orElse(-1L);
        List<RecordedStackTrace> busy = stacks.getOrDefault(busiest, List.of());
        Map<String, Long> calls = new HashMap<>();
        Map<String, Long> libraries = new HashMap<>();
        for (RecordedStackTrace stack : busy) {
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                libraries.merge(library(frames.get(0).getMethod().getType().getName()), 1L, Long::sum);
                calls.merge(callOut(frames), 1L, Long::sum);
            }
        }
        return new Summary(samples, byGroup, hot, names.getOrDefault(busiest, ""), busy.size(), calls, libraries,
                waits.getOrDefault(busiest, Map.of()), (long) io[0], io[1], (long) io[2], (long) io[3], io[4]);
    }

    private static void countHotSpots(List<RecordedFrame> frames, Map<String, Long> into) {
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            String method = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            for (var spot : HOT_SPOTS.entrySet()) {
                if (method.contains(spot.getValue()) && seen.add(spot.getKey())) {
                    into.merge(spot.getKey(), 1L, Long::sum);
                }
            }
        }
    }

    /** Hot spots in their fixed order, as shares of {@code total}; those under 1% left out. */
    static String hotSpots(Map<String, Long> counts, long total) {
        StringBuilder b = new StringBuilder();
        for (String label : HOT_SPOTS.keySet()) {
            long n = counts.getOrDefault(label, 0L);
            if (n * 100 >= total && total > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(label).append(' ')
                        .append(Report.num(100.0 * n / total, 0)).append('%');
            }
        }
        return b.length() == 0 ? "none over 1%" : b.toString();
    }

    /**
     * The innermost of our methods on the stack and what it called there ("PeerSession.forwardFrame ->
     * Json.createObjectBuilder"): which of our calls the time is spent under, library time included.
     */
    static String callOut(List<RecordedFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String type = frames.get(i).getMethod().getType().getName();
            if (ours(type)) {
                String ours = simple(type) + "." + frames.get(i).getMethod().getName();
                if (i == 0) {
                    return ours + " (itself)";
                }
                RecordedFrame callee = frames.get(i - 1);
                return ours + " -> " + simple(callee.getMethod().getType().getName()) + "." + callee.getMethod().getName();
            }
        }
        return "(not under our code)";
    }

    /** Our classes, without the container's generated proxies of them. */
    private static boolean ours(String type) {
        return type.startsWith("net.ledgerchat.") && !type.contains("$Proxy$") && !type.contains("__EJB");
    }

    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** The largest entries as "name 12%, ...", shares of {@code total}. */
    static String top(Map<String, Long> counts, long total, int n) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, sorted.size()); i++) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(sorted.get(i).getKey()).append(' ')
                    .append(Report.num(100.0 * sorted.get(i).getValue() / Math.max(1, total), 0)).append('%');
        }
        return b.toString();
    }

    /** Who owns the code a sample was running: the top frame's library. */
    static String library(String type) {
        if (type.startsWith("org.h2.")) {
            return "H2";
        }
        if (type.startsWith("org.eclipse.persistence.")) {
            return "EclipseLink";
        }
        if (type.startsWith("org.bouncycastle.")) {
            return "Bouncy Castle (Ed25519)";
        }
        if (type.startsWith("sun.security.provider.") || type.startsWith("java.security.")) {
            return "JDK crypto (SHA-256)";
        }
        if (type.startsWith("org.glassfish.json") || type.startsWith("org.eclipse.parsson") || type.startsWith("jakarta.json")
                || type.startsWith("org.eclipse.yasson")) {
            return "JSON";
        }
        if (type.startsWith("net.ledgerchat.")) {
            return "ledgerchat";
        }
        if (type.startsWith("com.sun.enterprise.") || type.startsWith("fish.payara.") || type.startsWith("org.glassfish.")
                || type.startsWith("com.sun.ejb.") || type.startsWith("org.jboss.weld.") || type.startsWith("jakarta.")
                || type.startsWith("com.sun.jts.") || type.startsWith("com.sun.gjc.")) {
            return "Payara (JTA, EJB, CDI, pool)";
        }
        if (type.startsWith("sun.nio.") || type.startsWith("java.io.") || type.startsWith("java.net.")
                || type.startsWith("java.nio.")) {
            return "JDK I/O";
        }
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
            return "JDK other";
        }
        return "other";
    }

    static String group(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        if (name == null) {
            return "?";
        }
        if (name.startsWith("peer-read")) {
            return "peer-read";
        }
        if (name.startsWith("peer-write")) {
            return "peer-write";
        }
        if (name.startsWith("concurrent/__defaultManagedExecutorService")) {
            // Peer links run here; JFR keeps the name a thread had when it started, not the one a link gives it.
            return "managed executor";
        }
        if (name.startsWith("http-thread-pool")) {
            return "http threads";
        }
        return name.replaceAll("[#\\-_ ]?[0-9]+$", "").strip();
    }
}
