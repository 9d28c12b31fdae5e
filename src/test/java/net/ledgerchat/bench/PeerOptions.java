package net.ledgerchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Options of the peer rows (sections 5-7), parsed from the same arguments as {@link BenchOptions}, which
 * leaves these keys to this class. {@code --peers} runs only the peer rows; {@code --no-peers} skips them.
 */
record PeerOptions(Mode mode, Set<String> rows, List<Long> catchUpSizes, List<Long> catchUpWarmSizes,
                   double latencyRate, double latencySeconds, double latencyWarmupSeconds, int clusterClients,
                   double clusterSeconds, double clusterWarmupSeconds, double convergeTimeoutSeconds, double stallSeconds,
                   boolean profile) {

    enum Mode { ALL, ONLY, NONE }

    static final String USAGE = """
              --peers                 run only the peer rows (5. catch-up, 6. send -> stored, 7. three linked nodes)
              --no-peers              skip the peer rows
              --peer-rows=A,B         only these of catchup, latency, cluster (default all three)
              --catchup-sizes=N,M     blocks a fresh node B lacks and catches up from node A (default 10000,100000)
              --catchup-warm-sizes=N,M
                                      then blocks added to A that the last B, still running (warm), catches
                                      up: each size in turn (default 10000,100000; none: no warm runs)
              --latency-rate=R        steady sends per second on node A's chat page, shown on B's (default 20)
              --latency-seconds=S     measured steady-rate window (default 30)
              --latency-warmup=S      a burst of sends on A (B stores them) before it, to warm the JIT (default 60)
              --cluster-clients=N     concurrent senders per node of the three linked nodes (default 4)
              --cluster-seconds=S     measured window of the three-node load (default 30)
              --cluster-warmup=S      its warm-up (default 20)
              --converge-timeout=S    how long the nodes may take to converge after the last send (default 300)
              --stall-seconds=S       a catch-up that stores nothing for this long fails the run (default 120)
              --profile               a flight recording (JFR) of every peer node, and where the time went (it
                                      costs the figures: catch-up of 100,000 blocks 2,035 against 2,601 blocks/s)
              --no-profile            none (the default)
            """;

    static final Set<String> ROWS = Set.of("catchup", "latency", "cluster");
    private static final Set<String> KEYS = Set.of("--peers", "--no-peers", "--peer-rows", "--catchup-sizes",
            "--catchup-warm-sizes", "--latency-rate", "--latency-seconds", "--latency-warmup", "--cluster-clients",
            "--cluster-seconds", "--cluster-warmup", "--converge-timeout", "--stall-seconds", "--profile", "--no-profile");

    static boolean owns(String key) {
        return KEYS.contains(key);
    }

    static PeerOptions parse(String[] args, boolean quick) {
        Mode mode = Mode.ALL;
        Set<String> rows = ROWS;
        List<Long> sizes = quick ? List.of(2_000L, 10_000L) : List.of(10_000L, 100_000L);
        List<Long> warmSizes = sizes;
        double rate = 20;
        double latency = quick ? 10 : 30;
        // As for section 2: after 20 s of sends the JIT still took half of B's CPU in the measured window.
        double latencyWarmup = quick ? 5 : 60;
        int clients = 4;
        double cluster = quick ? 10 : 30;
        double clusterWarmup = quick ? 5 : 20;
        double converge = 300;
        double stall = 120;
        boolean profile = false;
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            if (!owns(key)) {
                continue;
            }
            switch (key) {
                case "--peers" -> mode = Mode.ONLY;
                case "--no-peers" -> mode = Mode.NONE;
                case "--peer-rows" -> {
                    rows = Set.of(value.split(","));
                    if (!ROWS.containsAll(rows)) {
                        throw new IllegalArgumentException("--peer-rows takes some of " + ROWS + ", not " + value);
                    }
                }
                case "--catchup-sizes" -> sizes = sizes(value);
                case "--catchup-warm-sizes" -> warmSizes = "none".equals(value) ? List.of() : sizes(value);
                case "--latency-rate" -> rate = Double.parseDouble(value);
                case "--latency-seconds" -> latency = Double.parseDouble(value);
                case "--latency-warmup" -> latencyWarmup = Double.parseDouble(value);
                case "--cluster-clients" -> clients = Integer.parseInt(value);
                case "--cluster-seconds" -> cluster = Double.parseDouble(value);
                case "--cluster-warmup" -> clusterWarmup = Double.parseDouble(value);
                case "--converge-timeout" -> converge = Double.parseDouble(value);
                case "--stall-seconds" -> stall = Double.parseDouble(value);
                case "--profile" -> profile = true;
                case "--no-profile" -> profile = false;
                default -> throw new IllegalStateException("unhandled peer option " + key);
            }
        }
        if (sizes.isEmpty() || sizes.get(0) < 1 || (!warmSizes.isEmpty() && warmSizes.get(0) < 1) || rate <= 0
                || latency <= 0 || clients < 1 || cluster <= 0 || converge <= 0 || stall <= 0) {
            throw new IllegalArgumentException("peer sizes, rates, clients and times must be positive");
        }
        return new PeerOptions(mode, rows, sizes, warmSizes, rate, latency, latencyWarmup, clients, cluster,
                clusterWarmup, converge, stall, profile);
    }

    /** Comma-separated block counts, ascending. */
    private static List<Long> sizes(String value) {
        List<Long> parsed = new ArrayList<>();
        for (String s : value.split(",")) {
            parsed.add(Long.parseLong(s.strip().replace("_", "")));
        }
        return parsed.stream().sorted().toList();
    }

    String describe() {
        return "peers=" + mode.name().toLowerCase() + " rows=" + rows + " catchup=" + catchUpSizes + " warm="
                + catchUpWarmSizes + " latency=" + latencyRate + "/s for " + latencySeconds + "s (warm-up " + latencyWarmupSeconds + "s) cluster="
                + clusterClients + " clients/node for " + clusterSeconds + "s (warm-up " + clusterWarmupSeconds + "s)"
                + (profile ? " jfr" : " no-jfr");
    }
}
