package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The head set as the last commit left it, sealed together with the block count, so a restart
 * need not walk the whole ledger to find the heads. Its own table (not columns of ledger_meta):
 * an existing database gains it on the next start without any migration.
 */
@Entity
@Table(name = Tables.HEADS)
public class HeadsRow {
    static final int ID = 1;
    @Id
    @Column(name = "id")
    private int id;
    /** Comma-joined head hashes; null when there are more than one block may name (then start-up walks). */
    @Column(name = "heads", length = Tables.HEADS_LENGTH)
    private String heads;
    @Column(name = "seal", length = 64)
    private String seal;

    protected HeadsRow() {
    }

    private HeadsRow(LedgerRepository.SealedHeads sealed) {
        this.id = ID;
        this.heads = joined(sealed);
        this.seal = sealed == null ? null : sealed.seal();
    }

    /** Writes the sealed head set (null: too many to seal) inside the caller's transaction, in place like {@link MetaRow}. */
    static void write(EntityManager em, LedgerRepository.SealedHeads sealed) {
        int rows = em.createNativeQuery("UPDATE " + Tables.HEADS + " SET heads = ?, seal = ? WHERE id = ?")
                .setParameter(1, joined(sealed)).setParameter(2, sealed == null ? null : sealed.seal())
                .setParameter(3, ID).executeUpdate();
        if (rows == 0) {
            em.persist(new HeadsRow(sealed));
        }
    }

    private static String joined(LedgerRepository.SealedHeads sealed) {
        return sealed == null ? null : Tables.joinHashes(sealed.heads());
    }

    /** The stored head set as written, or null; its seal is the caller's to check. */
    LedgerRepository.SealedHeads sealedHeads() {
        return heads == null || seal == null ? null : new LedgerRepository.SealedHeads(Tables.splitHashes(heads), seal);
    }
}
