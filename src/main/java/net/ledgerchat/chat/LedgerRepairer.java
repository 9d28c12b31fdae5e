package net.ledgerchat.chat;

import jakarta.ejb.EJB;
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
 * Repairs what a validation found: the database steps run while the writer pauses its commits, the
 * blocks to put back are handed to the writer (it restores them when a peer sends them) and asked
 * of every linked peer at once. A block's hash fixes every byte of it, so a block restored from any
 * peer, honest or not, is exactly the one that was lost; a forged block nobody holds stays removed.
 */
@ApplicationScoped
public class LedgerRepairer {
    private static final Logger LOG = Logger.getLogger(LedgerRepairer.class.getName());
    /** Blocks asked for per repair; a larger loss is repaired over several validations. */
    static final int MAX_WANTED = 1_000;
    private static final int MIN_BLOCKS_FOR_GUARD = 8;

    @EJB
    private LedgerWriter writer;
    @Inject
    private LedgerRepair repair;
    @Inject
    private NodeIdentity identity;
    @Inject
    private Event<BlocksWanted> wantedEvents;

    /**
     * Fixes locally what the validation named and asks peers for the blocks to put back. When most of
     * the ledger looks damaged, the likelier cause is a changed seal key ({@code node.key} replaced),
     * not an attack on most rows: nothing is removed then, and the problems stay listed for a person.
     */
    public RepairReport repair(ValidationReport validation) {
        Instant at = Instant.now();
        List<Problem> problems = validation.problems();
        if (validation.blocks() >= MIN_BLOCKS_FOR_GUARD && validation.problemCount() * 2 > validation.blocks()) {
            LOG.severe(() -> "[Repair] " + validation.problemCount() + " problems in " + validation.blocks()
                    + " blocks: not repairing automatically. Was this node's key (node.key) replaced?");
            return new RepairReport(at, List.of(), List.of(), 0, false, List.of(), List.of());
        }
        RepairReport report = writer.withCommitsPaused(() -> {
            List<String> known = new ArrayList<>(writer.heads().stream().map(OrderKey::hash).toList());
            known.addAll(writer.lostHeads());
            LedgerRepair.Repaired done = repair.repair(problems, known, trustedDigest(), MAX_WANTED, writer::shownOf, identity.seal());
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
