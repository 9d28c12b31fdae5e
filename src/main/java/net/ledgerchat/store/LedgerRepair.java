package net.ledgerchat.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;

/**
 * The database side of repairing what a validation found: removing damaged rows, putting derived
 * rows (parent links, messages) back in line with the ledger rows they derive from, and naming the
 * blocks that must be fetched again. Every step is idempotent, so a repair cut short is simply run
 * again by the next validation. Callers keep the writer from committing meanwhile.
 */
@ApplicationScoped
public class LedgerRepair {
    @PersistenceContext(unitName = "chat")
    private EntityManager em;

    public LedgerRepair() {
    }

    /** Outside a container (tests): the caller's own EntityManager and transactions. */
    LedgerRepair(EntityManager em) {
        this.em = em;
    }

    /** What one repair did, and the blocks it needs back from peers. */
    public record Repaired(List<String> removed, List<String> rebuiltMessages, int linksRepaired, boolean digestRestored,
                           Set<String> wanted) {
        public Repaired {
            removed = List.copyOf(removed);
            rebuiltMessages = List.copyOf(rebuiltMessages);
            wanted = Set.copyOf(wanted);
        }
    }

    /**
     * Repairs in one transaction what {@code problems} name: damaged ledger rows (edited, forged,
     * malformed) are removed, since a block is only trusted as its hash and signature say and a
     * damaged row cannot be mended in place; parent links and message rows are rebuilt from the
     * ledger rows; the sealed digest is put back from {@code trustedDigest} when it was changed. Then
     * names the blocks that should be stored and are not, at most {@code maxWanted}.
     */
    @Transactional
    public Repaired repair(List<Problem> problems, Collection<String> knownHeads,
                           Optional<LedgerRepository.SealedDigest> trustedDigest, int maxWanted, ShowRule showing,
                           Seal seal) {
        Set<String> damaged = hashes(problems, Problem.Kind.EDITED, Problem.Kind.FORGED, Problem.Kind.MALFORMED);
        Set<String> projection = hashes(problems, Problem.Kind.PROJECTION);
        projection.removeAll(damaged);
        removeBlocks(damaged);
        int relinked = problems.stream().anyMatch(p -> p.kind() == Problem.Kind.LINKS) ? repairLinks() : 0;
        rebuildMessages(projection, showing, seal);
        boolean digest = problems.stream().anyMatch(p -> p.kind() == Problem.Kind.DIGEST) && trustedDigest.isPresent();
        trustedDigest.filter(d -> digest).ifPresent(this::restoreDigest);
        return new Repaired(List.copyOf(damaged), List.copyOf(projection), relinked, digest,
                missingBlocks(knownHeads, maxWanted));
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

    /** Deletes blocks with their parent links and message rows; returns how many ledger rows went. */
    int removeBlocks(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return 0;
        }
        int removed = 0;
        // Any stored value, not only well-formed hashes: a row whose hash lost a byte is damage to remove too.
        for (List<byte[]> chunk : LedgerRepository.chunks(hashes, Tables::storedOrNull)) {
            em.createQuery("DELETE FROM ParentLink p WHERE p.childHash IN :h").setParameter("h", chunk).executeUpdate();
            em.createQuery("DELETE FROM MessageRow m WHERE m.hash IN :h").setParameter("h", chunk).executeUpdate();
            removed += em.createQuery("DELETE FROM LedgerRow r WHERE r.hash IN :h").setParameter("h", chunk).executeUpdate();
        }
        return removed;
    }

    /**
     * Makes the parent-link index say exactly what the ledger rows' parent lists say: links no stored
     * block names are dropped, and a block whose links differ from its parents gets them written again.
     * Returns the number of links dropped plus blocks relinked.
     */
    int repairLinks() {
        int orphans = em.createQuery("DELETE FROM ParentLink p WHERE NOT EXISTS (SELECT r.hash FROM LedgerRow r"
                + " WHERE r.hash = p.childHash)").executeUpdate();
        return orphans + new LinkRepair(em).run();
    }

    /**
     * Writes the message rows of {@code hashes} again from their ledger rows, or only deletes them
     * when there is no ledger row (it comes back with its block). Returns the rows written.
     */
    int rebuildMessages(Collection<String> hashes, ShowRule showing, Seal seal) {
        if (hashes.isEmpty()) {
            return 0;
        }
        // One statement per slice: messages has no index on hash (see MessageRow), so each delete by hash reads the table.
        for (List<byte[]> chunk : LedgerRepository.chunks(hashes, Tables::storedOrNull)) {
            em.createQuery("DELETE FROM MessageRow m WHERE m.hash IN :h").setParameter("h", chunk).executeUpdate();
        }
        LedgerRepository ledger = new LedgerRepository(em);
        int written = 0;
        for (String hash : hashes) {
            LedgerRow row = ledger.row(hash).orElse(null);
            if (row != null) {
                OrderKey key = row.orderKey();
                // A row edited to another hash may still hold this block's sort key, the table's key.
                em.createQuery("DELETE FROM MessageRow m WHERE m.sortKey = :k").setParameter("k", key.sortKeyBytes())
                        .executeUpdate();
                Block block = row.toBlock(Tables.STORED_LIMITS);
                if (block.kind() == Kind.MESSAGE) {
                    Shown shown = showing.shownOf(block, row.context());
                    em.persist(new MessageRow(block, key, shown, seal.shown(block.hash(), shown.counts(), shown.name()), null));
                    written++;
                }
            }
        }
        return written;
    }

    /** Puts back the sealed count and digest the writer holds, after someone changed them in the database. */
    void restoreDigest(LedgerRepository.SealedDigest digest) {
        MetaRow.write(em, digest.digest(), digest.seal());
    }

    /**
     * Blocks that should be stored and are not, at most {@code limit}: parents a stored block names,
     * and the heads the writer knows. Peers are asked for exactly these.
     */
    Set<String> missingBlocks(Collection<String> knownHeads, int limit) {
        Set<String> missing = new LinkedHashSet<>();
        em.createQuery("SELECT DISTINCT p.parentHash FROM ParentLink p"
                        + " WHERE NOT EXISTS (SELECT r.hash FROM LedgerRow r WHERE r.hash = p.parentHash)", byte[].class)
                .setMaxResults(limit).getResultList().forEach(h -> missing.add(Tables.hex(h)));
        List<String> heads = new ArrayList<>(knownHeads);
        LedgerRepository ledger = new LedgerRepository(em);
        heads.removeIf(ledger::contains);
        for (String head : heads) {
            if (missing.size() < limit) {
                missing.add(head);
            }
        }
        return missing;
    }
}
