package net.ledgerchat.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerRepair;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.Problem;

/**
 * Repairs what a validation found. Damaged ledger rows (edited, forged, malformed) are removed:
 * a block is only ever trusted as its hash and signature say, so a damaged row cannot be mended in
 * place. Derived rows (messages, parent links) are rebuilt from the ledger. Blocks that should be
 * there and are not (deleted, or just removed as damaged) are asked of peers by hash and put back
 * exactly as they were: a block's hash fixes every byte of it. A forged block nobody else holds
 * stays removed, which is the point.
 */
@ApplicationScoped
public class LedgerRepairer {
    private static final Logger LOG = Logger.getLogger(LedgerRepairer.class.getName());
    /** Blocks asked for per repair; a larger loss is repaired over several validations. */
    static final int MAX_WANTED = 1_000;

    @Inject
    private LedgerWriter writer;
    @Inject
    private LedgerRepair repair;
    @Inject
    private NodeIdentity identity;
    @Inject
    private Event<BlocksWanted> wantedEvents;

    /** Fixes locally what {@code problems} name and asks peers for the blocks to put back. */
    public RepairReport repair(List<Problem> problems) {
        Instant at = Instant.now();
        RepairReport report = writer.withCommitsPaused(() -> {
            List<String> known = new ArrayList<>(writer.heads().stream().map(OrderKey::hash).toList());
            known.addAll(writer.lostHeads());
            LedgerRepair.Repaired done = repair.repair(problems, known, trustedDigest(), MAX_WANTED);
            writer.want(done.wanted());
            return new RepairReport(at, done.removed(), done.rebuiltMessages(), done.linksRepaired(), done.digestRestored(),
                    List.copyOf(done.wanted()), List.of());
        });
        log(report);
        if (!report.requested().isEmpty()) {
            wantedEvents.fire(new BlocksWanted(Set.copyOf(report.requested())));
        }
        return report;
    }

    /** The writer's digest is the one it sealed itself; it can be put back only if its seal still holds. */
    private Optional<LedgerRepository.SealedDigest> trustedDigest() {
        LedgerRepository.SealedDigest digest = writer.sealedDigest();
        return identity.seal().matches(digest.seal(), digest.digest()) ? Optional.of(digest) : Optional.empty();
    }

    private static void log(RepairReport r) {
        if (!r.changedAnything()) {
            LOG.warning("[Repair] Nothing this node can repair by itself was named; the problems stay listed");
            return;
        }
        LOG.warning(() -> "[Repair] Removed " + r.removed().size() + " damaged block row(s) " + r.removed()
                + ", rebuilt " + r.rebuiltMessages().size() + " message row(s), repaired " + r.linksRepaired()
                + " parent link(s)" + (r.digestRestored() ? ", put back the sealed digest" : "")
                + "; asking peers for " + r.requested().size() + " block(s) " + r.requested());
    }
}
