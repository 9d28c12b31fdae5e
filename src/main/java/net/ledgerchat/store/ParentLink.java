package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One parent edge of the DAG: which block follows which. Indexed by parent to find children. */
@Entity
@Table(name = Tables.LINKS, indexes = @Index(name = "ledger_parent_by_parent", columnList = "parent_hash"))
@IdClass(ParentLink.Key.class)
public class ParentLink {
    @Id
    @Column(name = "child_hash", length = 64, nullable = false)
    private String childHash;
    @Id
    @Column(name = "parent_hash", length = 64, nullable = false)
    private String parentHash;

    protected ParentLink() {
    }

    ParentLink(String childHash, String parentHash) {
        this.childHash = childHash;
        this.parentHash = parentHash;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String childHash;
        private String parentHash;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(childHash, k.childHash) && Objects.equals(parentHash, k.parentHash);
        }

        @Override
        public int hashCode() {
            return Objects.hash(childHash, parentHash);
        }
    }
}
