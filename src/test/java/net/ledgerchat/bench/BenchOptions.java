package net.ledgerchat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options ({@code -Dexec.args="..."}). Defaults are the full benchmark; {@code --quick}
 * is a smoke run with small sizes that finishes in a couple of minutes.
 */
record BenchOptions(boolean quick, double limitSeconds, int clients, List<Integer> leanClients, double warmupSeconds,
                    double sendSeconds, List<Long> sizes, long signaturePassMax, boolean diagnostics,
                    boolean fullDiagnostics, double startTimeoutSeconds) {

    static final String USAGE = """
            options: mvn -q -B -DskipTests package exec:java@bench -Dbench.args="--quick --clients=8"
            (-Dexec.args also works without "package" in the command: it would reach the pom's uber-jar build too)
              --quick                 smoke run: 0.5 s limits, 3 s of sends, ledgers of 2,000 and 10,000 blocks
              --sizes=N,M,...         ledger sizes to validate (default 100000,1000000)
              --clients=N             concurrent HTTP senders (default 16)
              --lean-clients=N,M,...  concurrent lean senders, one window each, on the warm node
                                      (default: the clients, twice and four times as many: 16,32,64)
              --send-seconds=S        measured send window (default 15)
              --warmup-seconds=S      send warm-up (default 60: Payara's JIT still compiles the send path for tens of seconds)
              --limit-seconds=S       time per in-process machine-limit measurement (default 2)
              --signature-pass-max=N  run the full signature pass for ledgers up to N blocks (default 100000)
              --no-diagnostics        skip the in-process breakdown of where validation time goes
              --full-diagnostics      also run the node's scanner in this JVM
              --start-timeout=S       how long a node may take to become ready (default 300)
            """ + PeerOptions.USAGE;

    static BenchOptions parse(String[] args) {
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            }
        }
        double limitSeconds = quick ? 0.5 : 2;
        int clients = 16;
        List<Integer> leanClients = null;
        double warmup = quick ? 1 : 60;
        double send = quick ? 3 : 15;
        List<Long> sizes = quick ? List.of(2_000L, 10_000L) : List.of(100_000L, 1_000_000L);
        long sigMax = quick ? 2_000 : 100_000;
        boolean diagnostics = true;
        boolean fullDiagnostics = false;
        double startTimeout = 300;
        for (String a : args) {
            if (a.isBlank() || a.equals("--quick")) {
                continue;
            }
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            switch (key) {
                case "--sizes" -> {
                    List<Long> parsed = new ArrayList<>();
                    for (String s : value.split(",")) {
                        parsed.add(Long.parseLong(s.strip().replace("_", "")));
                    }
                    sizes = parsed.stream().sorted().toList();
                }
                case "--clients" -> clients = Integer.parseInt(value);
                case "--lean-clients" -> {
                    List<Integer> parsed = new ArrayList<>();
                    for (String s : value.split(",")) {
                        parsed.add(Integer.parseInt(s.strip()));
                    }
                    leanClients = List.copyOf(parsed);
                }
                case "--send-seconds" -> send = Double.parseDouble(value);
                case "--warmup-seconds" -> warmup = Double.parseDouble(value);
                case "--limit-seconds" -> limitSeconds = Double.parseDouble(value);
                case "--signature-pass-max" -> sigMax = Long.parseLong(value.replace("_", ""));
                case "--no-diagnostics" -> diagnostics = false;
                case "--full-diagnostics" -> fullDiagnostics = true;
                case "--start-timeout" -> startTimeout = Double.parseDouble(value);
                case "--help", "-h" -> throw new IllegalArgumentException("help requested");
                default -> {
                    if (!PeerOptions.owns(key)) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (leanClients == null) {
            leanClients = quick ? List.of(clients) : List.of(clients, clients * 2, clients * 4);
        }
        boolean leanValid = !leanClients.isEmpty() && leanClients.stream().allMatch(n -> n >= 1);
        if (clients < 1 || !leanValid || send <= 0 || limitSeconds <= 0 || sizes.isEmpty()) {
            throw new IllegalArgumentException("clients, lean clients, send seconds, limit seconds and sizes must be positive");
        }
        return new BenchOptions(quick, limitSeconds, clients, leanClients, warmup, send, sizes, sigMax, diagnostics,
                fullDiagnostics, startTimeout);
    }

    String describe() {
        return (quick ? "--quick " : "") + "sizes=" + sizes + " clients=" + clients + " lean-clients=" + leanClients
                + " warmup=" + warmupSeconds
                + "s send=" + sendSeconds + "s limits=" + limitSeconds + "s signature-pass<=" + signaturePassMax
                + (diagnostics ? (fullDiagnostics ? " full-diagnostics" : "") : " no-diagnostics");
    }
}
