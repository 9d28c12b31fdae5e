package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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

    MetaRow(SetDigest digest, String seal) {
        this.id = ID;
        update(digest, seal);
    }

    final void update(SetDigest digest, String seal) {
        this.blockCount = digest.count();
        this.digest = digest.xor();
        this.seal = seal;
    }

    SetDigest digest() {
        return new SetDigest(blockCount, digest);
    }

    String seal() {
        return seal;
    }
}
