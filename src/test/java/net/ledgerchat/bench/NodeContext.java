package net.ledgerchat.bench;

/**
 * What the one-node sections share: where figures go, their options, this machine's cores and limits, and
 * where the CPU other processes used during a phase is reported (the run remembers the busiest phase).
 */
record NodeContext(Report report, BenchOptions options, int cores, MachineLimits.Result limits, OtherCpuReport others) {

    /** Reports the CPU other processes used between two snapshots, as one phase of a section. */
    @FunctionalInterface
    interface OtherCpuReport {
        void record(String section, String phase, OtherCpu.Snapshot from, OtherCpu.Snapshot to);
    }
}
