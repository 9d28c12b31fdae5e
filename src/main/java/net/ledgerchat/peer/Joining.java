package net.ledgerchat.peer;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A joining node's invite, presented on one link at a time ({@link LedgerPort#claimJoin}), and never again once a
 * member admitted the node: two members admitting one invite concurrently would void both admits.
 */
public final class Joining {
    private final Supplier<Optional<LedgerPort.JoinRequest>> request;
    private boolean claimed;
    private boolean admitted;

    /** @param request the invite to present while the node holds none of its group's blocks, else empty */
    public Joining(Supplier<Optional<LedgerPort.JoinRequest>> request) {
        this.request = request;
    }

    public synchronized Optional<LedgerPort.JoinRequest> claim() {
        if (claimed || admitted) {
            return Optional.empty();
        }
        Optional<LedgerPort.JoinRequest> join = request.get();
        claimed = join.isPresent();
        return join;
    }

    public synchronized void ended(boolean admittedOnIt) {
        claimed = false;
        admitted |= admittedOnIt;
    }
}
