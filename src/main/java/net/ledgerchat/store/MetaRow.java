package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import net.ledgerchat.ledger.SetDigest;

/**
 * The sealed count and digest of the whole block set, and the sealed head set, updated in the same
 * transaction as every append. The heads let a restart skip walking the whole ledger to find them.
 */
@Entity
@Table(name = Tables.META)
public class MetaRow {
    static final int ID = 1;
    @Id
    @Column(name = "id")
    private int id;
    @Column(name = "block_count", nullable = false)
    private long blockCount;
    @Column(name = "digest", length = 64, nullable = false)
    private String digest;
    @Column(name = "seal", length = 64, nullable = false)
    private String seal;
    /** Comma-joined head hashes; null when there are more than one block may name (then start-up walks). */
    @Column(name = "heads", length = Tables.PARENTS_LENGTH)
    private String heads;
    @Column(name = "heads_seal", length = 64)
    private String headsSeal;

    protected MetaRow() {
    }

    MetaRow(SetDigest digest, String seal) {
        this.id = ID;
        update(digest, seal);
    }

    final void update(SetDigest digest, String seal) {
        this.blockCount = digest.count();
        this.digest = digest.xor();
        this.seal = seal;
    }

    void updateHeads(LedgerRepository.SealedHeads sealed) {
        this.heads = sealed == null ? null : Tables.joinParents(sealed.heads());
        this.headsSeal = sealed == null ? null : sealed.seal();
    }

    /** The stored head set as written, or null; its seal is the caller's to check. */
    LedgerRepository.SealedHeads sealedHeads() {
        if (heads == null || headsSeal == null) {
            return null;
        }
        return new LedgerRepository.SealedHeads(Tables.splitParents(heads), headsSeal);
    }

    SetDigest digest() {
        return new SetDigest(blockCount, digest);
    }

    String seal() {
        return seal;
    }
}
