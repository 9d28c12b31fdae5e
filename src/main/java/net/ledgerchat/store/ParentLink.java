package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;

/** One parent edge of the DAG: which block follows which. Indexed by parent to find children. */
@Entity
@Table(name = Tables.LINKS, indexes = @Index(name = "ledger_parent_by_parent", columnList = "parent_hash"))
@IdClass(ParentLink.Key.class)
public class ParentLink {
    @Id
    @Column(name = "child_hash", length = Tables.HASH_BYTES, nullable = false)
    private byte[] childHash;
    @Id
    @Column(name = "parent_hash", length = Tables.HASH_BYTES, nullable = false)
    private byte[] parentHash;

    protected ParentLink() {
    }

    ParentLink(String childHash, String parentHash) {
        this.childHash = Tables.hashBytes(childHash);
        this.parentHash = Tables.hashBytes(parentHash);
    }

    /** The composite primary key; arrays compare by content, not identity. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private byte[] childHash;
        private byte[] parentHash;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(childHash, k.childHash) && Arrays.equals(parentHash, k.parentHash);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(childHash) + Arrays.hashCode(parentHash);
        }
    }
}
