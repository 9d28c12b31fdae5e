package net.ledgerchat.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
        Set<String> damaged = hashes(problems, Problem.Kind.EDITED, Problem.Kind.FORGED, Problem.Kind.MALFORMED);
        Set<String> projection = hashes(problems, Problem.Kind.PROJECTION);
        projection.removeAll(damaged);
        boolean links = problems.stream().anyMatch(p -> p.kind() == Problem.Kind.LINKS);
        boolean digest = problems.stream().anyMatch(p -> p.kind() == Problem.Kind.DIGEST);
        RepairReport report = writer.withCommitsPaused(() -> {
            int removed = repair.removeBlocks(damaged);
            int relinked = links ? repair.repairLinks() : 0;
            List<String> rebuilt = new ArrayList<>(projection);
            repair.rebuildMessages(projection);
            boolean resealed = digest && restoreDigest();
            List<String> known = new ArrayList<>(writer.heads().stream().map(OrderKey::hash).toList());
            known.addAll(writer.lostHeads());
            Set<String> wanted = repair.missingBlocks(known, MAX_WANTED);
            writer.want(wanted);
            LOG.fine(() -> "[Repair] " + removed + " damaged row(s) removed");
            return new RepairReport(at, List.copyOf(damaged), rebuilt, relinked, resealed, List.copyOf(wanted), List.of());
        });
        log(report);
        if (!report.requested().isEmpty()) {
            wantedEvents.fire(new BlocksWanted(Set.copyOf(report.requested())));
        }
        return report;
    }

    /** The writer's digest is the one it sealed itself; it is put back only if its seal still holds. */
    private boolean restoreDigest() {
        LedgerRepository.SealedDigest digest = writer.sealedDigest();
        if (!identity.seal().matches(digest.seal(), digest.digest())) {
            LOG.warning("[Repair] The sealed digest cannot be put back: the copy in memory does not carry a valid seal");
            return false;
        }
        repair.restoreDigest(digest);
        return true;
    }

    private static Set<String> hashes(List<Problem> problems, Problem.Kind... kinds) {
        Set<String> hashes = new LinkedHashSet<>();
        for (Problem p : problems) {
            if (p.block() != null && List.of(kinds).contains(p.kind())) {
                hashes.add(p.block());
            }
        }
        return hashes;
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
