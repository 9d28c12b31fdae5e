package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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

    HeadsRow(LedgerRepository.SealedHeads sealed) {
        this.id = ID;
        update(sealed);
    }

    final void update(LedgerRepository.SealedHeads sealed) {
        this.heads = sealed == null ? null : Tables.joinHashes(sealed.heads());
        this.seal = sealed == null ? null : sealed.seal();
    }

    /** The stored head set as written, or null; its seal is the caller's to check. */
    LedgerRepository.SealedHeads sealedHeads() {
        return heads == null || seal == null ? null : new LedgerRepository.SealedHeads(Tables.splitHashes(heads), seal);
    }
}
