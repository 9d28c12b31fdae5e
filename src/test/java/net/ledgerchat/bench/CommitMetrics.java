package net.ledgerchat.bench;

import net.ledgerchat.it.support.HttpJson;

/**
 * The node's group-commit figures from {@code /metrics}: blocks stored and transactions that stored them
 * ({@code ledger_commit_blocks}), and the time those transactions took ({@code ledger_commit_time}).
 * Two readings give the average group over the time between them. NaN when the node does not expose them.
 */
record CommitMetrics(double blocks, double commits, double commitSeconds) {
    /** A node that has committed nothing yet. */
    static final CommitMetrics NONE = new CommitMetrics(0, 0, 0);

    static CommitMetrics read(HttpJson http) {
        try {
            HttpJson.Reply reply = http.get("/metrics");
            if (reply.status() != 200) {
                return new CommitMetrics(Double.NaN, Double.NaN, Double.NaN);
            }
            String body = reply.body();
            return new CommitMetrics(value(body, "ledger_commit_blocks_sum"), value(body, "ledger_commit_blocks_count"),
                    value(body, "ledger_commit_time_seconds_sum"));
        } catch (RuntimeException e) {
            return new CommitMetrics(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    private static double value(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }

    /** Blocks per transaction between {@code from} and this reading; NaN when the node does not expose them. */
    double meanGroupSince(CommitMetrics from) {
        double c = commits - from.commits;
        return c > 0 ? (blocks - from.blocks) / c : Double.NaN;
    }

    /** "B blocks per commit, C commits/s, mean commit M ms" between {@code from} and this reading. */
    String describeSince(CommitMetrics from, double seconds) {
        double b = blocks - from.blocks;
        double c = commits - from.commits;
        if (!(c > 0)) {
            return "not exposed by the node";
        }
        return Report.num(b / c, 1) + " blocks per transaction, " + Report.num(c / seconds, 0) + " transactions/s, mean "
                + Report.num((commitSeconds - from.commitSeconds) * 1000 / c, 2) + " ms each";
    }
}
