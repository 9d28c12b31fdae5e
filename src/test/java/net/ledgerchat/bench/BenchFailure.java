package net.ledgerchat.bench;

/**
 * Something the benchmark must not report a figure for: nodes that never converge, a catch-up that stops.
 * Unlike a missed target, it fails the run (after the summary is printed).
 */
final class BenchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message);
    }
}
