package net.ledgerchat.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the peer rows share: where figures go, their options, how nodes are started, and this machine's
 * Ed25519 verify rates (one thread, all cores) that bound how fast any node can accept blocks from a peer.
 */
record PeerContext(Report report, PeerOptions options, PeerNodes nodes, Path benchDir, int cores, double verifyOne,
                   double verifyAll, Duration startTimeout) {

    /** Writes a node's recording and reports where its time went between {@code from} and {@code to}. */
    void profile(String section, String who, NodeProcess node, java.time.Instant from, java.time.Instant to,
                 long blocks) throws Exception {
        if (!nodes.profiled()) {
            return;
        }
        Path file = benchDir.resolve("logs").resolve("jfr-" + node.tcpPort() + ".jfr");
        JfrProfile.Summary s = JfrProfile.summarize(JfrProfile.dump(node, file), from, to);
        report.add(section, who + ": JFR samples by thread (" + Report.num(s.samples()) + " samples)",
                JfrProfile.top(s.byThread(), s.samples(), 4), "");
        report.add(section, who + ": share of all samples spent in", JfrProfile.hotSpots(s.hotSpots(), s.samples()), "");
        if (s.busiestSamples() > 0) {
            double window = java.time.Duration.between(from, to).toNanos() / 1e9;
            String waits = s.busiestWaits().entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                    .map(w -> w.getKey() + " " + Report.num(w.getValue(), 1) + " s").reduce((x, y) -> x + ", " + y)
                    .orElse("none over the thresholds");
            report.add(section, who + ": busiest thread " + s.busiestThread() + ": running Java / waiting",
                    Report.num(s.busiestSamples() / 100.0, 1) + " s of " + Report.num(window, 1) + " s (10 ms samples) / "
                            + waits, "");
            report.add(section, who + ":   under which of our calls", JfrProfile.top(s.calls(), s.busiestSamples(), 6), "");
            report.add(section, who + ":   running code by library", JfrProfile.top(s.libraries(), s.busiestSamples(), 5), "");
        }
        double perBlock = blocks <= 0 ? Double.NaN : 1.0 / blocks;
        report.add(section, who + ": file forces (fsync) / writes (all threads)", Report.num(s.forces()) + " forces ("
                + Report.num(s.forces() * perBlock, 2) + " per block, " + Report.num(s.forceSeconds(), 1) + " s in all) / "
                + Report.num(s.writes()) + " writes (" + Report.num(s.writes() * perBlock, 2) + " per block, "
                + Report.mib(s.writeBytes()) + " MiB, " + Report.num(s.writeSeconds(), 1) + " s)", "");
        System.out.println("    recording: " + file);
    }
}
