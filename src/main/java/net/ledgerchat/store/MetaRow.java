package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import net.ledgerchat.ledger.SetDigest;

/** The sealed count and digest of the whole block set, updated in the same transaction as every append. */
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

    protected MetaRow() {
    }

    private MetaRow(SetDigest digest, String seal) {
        this.id = ID;
        this.blockCount = digest.count();
        this.digest = digest.xor();
        this.seal = seal;
    }

    /**
     * Writes the sealed count and digest inside the caller's transaction. Updated in place rather than found and
     * changed: on every commit a find would be a read and an object for nothing.
     */
    static void write(EntityManager em, SetDigest digest, String seal) {
        int rows = em.createNativeQuery("UPDATE " + Tables.META + " SET block_count = ?, digest = ?, seal = ? WHERE id = ?")
                .setParameter(1, digest.count()).setParameter(2, digest.xor()).setParameter(3, seal)
                .setParameter(4, ID).executeUpdate();
        if (rows == 0) {
            em.persist(new MetaRow(digest, seal));
        }
    }

    SetDigest digest() {
        return new SetDigest(blockCount, digest);
    }

    String seal() {
        return seal;
    }
}
