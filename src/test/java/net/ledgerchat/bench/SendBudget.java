package net.ledgerchat.bench;

import java.nio.file.Path;

/**
 * What the sends target asks of this machine. At the target rate its cores give each send a fixed amount of
 * CPU, node and load clients together. Two floors under every send are measured in the same run: what the
 * container costs its smallest request (the same lean clients asking {@code GET /api/node}: HTTP, JAX-RS,
 * JSON-B, nothing stored), and what H2 alone costs a block committed as the node commits ({@code WRITE_DELAY=0},
 * at the node's mean group size, on a copy of the node's own file). Their sum beside the node's own CPU per
 * send says how much of a send is the product's path and how much the floors it stands on.
 */
final class SendBudget {
    private static final String SECTION = SendsBench.SECTION;
    /** Long enough for the GET path's JIT to settle on a node the sends already warmed. */
    private static final double READ_WARMUP_SECONDS = 5;
    private static final double H2_SECONDS = 2;

    private final Report report;
    private final int cores;
    private final double target;
    private final double signMs;
    private SendsBench.Measured sends;
    private double groupSize = Double.NaN;
    private SendsBench.Measured reads;

    SendBudget(Report report, int cores, double target, double signMs) {
        this.report = report;
        this.cores = cores;
        this.target = target;
        this.signMs = signMs;
    }

    /** The lean sends just measured, and the node's mean group commit during them. */
    void sendsWere(SendsBench.Measured leanSends, double meanGroup) {
        this.sends = leanSends;
        this.groupSize = meanGroup;
    }

    /** The container's floor: the same lean clients, on the same warm node, asking for the node's identity. */
    void measureContainerFloor(NodeProcess node, int clients, double seconds) throws InterruptedException {
        reads = SendsBench.measure(node, SendLoad.Client.LEAN_READ, clients, READ_WARMUP_SECONDS, seconds);
        SendLoad.Result r = reads.result();
        report.add(SECTION, "floor: the container answering GET /api/node to the same " + clients + " lean clients",
                Report.num(r.perSecond(), 0) + (r.errors() == 0 ? "" : " (" + r.errors() + " errors)"), "requests/s");
        report.add(SECTION, "  per request: CPU of the node / of the clients", Report.num(reads.nodeMs(), 3) + " / "
                + Report.num(reads.clientMs(), 3), "ms");
    }

    /** H2's floor on a copy of the stopped node's file, then the budget; {@code scratch} is deleted after. */
    void finish(Path nodeFile, Path scratch) throws Exception {
        if (sends == null || reads == null) {
            return;
        }
        int group = Double.isNaN(groupSize) ? 1 : Math.max(1, (int) Math.round(groupSize));
        StorageLimits.Result h2 = StorageLimits.measure(nodeFile, scratch, H2_SECONDS, group);
        double h2Ms = 1000 / h2.perBatchCommit();
        report.add(SECTION, "floor: H2 alone on a copy of the node's file (WRITE_DELAY=0, JDBC), one commit per block / per "
                + group + " (the node's mean group)", Report.num(h2.perBlockCommit(), 0) + " / "
                + Report.num(h2.perBatchCommit(), 0) + " blocks/s = " + Report.num(1000 / h2.perBlockCommit(), 3) + " / "
                + Report.num(h2Ms, 3) + " ms per block", "");
        double budgetMs = cores * 1000 / target;
        double floorsMs = reads.nodeMs() + reads.clientMs() + h2Ms + signMs;
        report.add(SECTION, "budget: CPU per send at " + Report.num(target, 0) + " sends/s on " + cores
                + " cores (node and clients together)", Report.num(budgetMs, 3), "ms");
        report.add(SECTION, "floors per send: container " + Report.num(reads.nodeMs(), 3) + " + clients "
                + Report.num(reads.clientMs(), 3) + " + H2 " + Report.num(h2Ms, 3) + " + Ed25519 sign " + Report.num(signMs, 3),
                Report.num(floorsMs, 3) + " ms, a ceiling of " + Report.num(cores * 1000 / floorsMs, 0), "sends/s");
        double pathMs = sends.nodeMs() - reads.nodeMs() - h2Ms - signMs;
        report.add(SECTION, "the node's CPU per lean send, and its part above the container, H2 and signing floors",
                Report.num(sends.nodeMs(), 3) + " / " + Report.num(pathMs, 3), "ms");
        if (floorsMs >= budgetMs) {
            report.note("Sends: the floors under one send (the container's smallest request, its client, H2 committing the"
                    + " block as the node does, one signature) already take " + Report.num(floorsMs, 2) + " ms of CPU, and "
                    + Report.num(target, 0) + " sends/s on " + cores + " cores allows " + Report.num(budgetMs, 2)
                    + " ms per send, clients included. The node's own path (JSON body, resource, CDI, JTA, JPA, seals)"
                    + " adds " + Report.num(pathMs, 2) + " ms on top.");
        }
    }
}
