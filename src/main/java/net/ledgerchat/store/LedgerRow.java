package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;

/**
 * One block of the chain, the source of truth. {@code parents} keeps the canonical parent list
 * inline (it is part of what the hash covers, and a validation scan reads it without a join);
 * {@link ParentLink} rows index the same edges for queries by parent.
 *
 * <p>The sort key is indexed both ways because H2 (2.2) reads an index in one direction only: with the ascending
 * index alone, {@code sort_key < ? ORDER BY sort_key DESC} (the sync walk's read-ahead and probes) reads every
 * row below the key and sorts them, however small the limit. Ledgers created before it get it from
 * {@link SortKeyIndexes}.
 */
@Entity
@Table(name = Tables.LEDGER, indexes = {
    @Index(name = "ledger_sort_key", columnList = "sort_key", unique = true),
    @Index(name = Tables.LEDGER_SORT_KEY_DESC, columnList = Tables.SORT_KEY_DESC)})
public class LedgerRow {
    @Id
    @Column(name = "hash", length = 64, nullable = false)
    private String hash;
    @Column(name = "parents", length = Tables.PARENTS_LENGTH, nullable = false)
    private String parents;
    @Column(name = "height", nullable = false)
    private long height;
    @Column(name = "author", length = 64, nullable = false)
    private String author;
    @Column(name = "sender", length = Tables.SENDER_LENGTH, nullable = false)
    private String sender;
    @Column(name = "ts", nullable = false)
    private long timestamp;
    @Column(name = "message", length = Tables.TEXT_LENGTH, nullable = false)
    private String message;
    @Column(name = "signature", length = 128, nullable = false)
    private String signature;
    @Column(name = "order_ts", nullable = false)
    private long orderTs;
    @Column(name = "sort_key", length = OrderKey.SORT_KEY_LENGTH, nullable = false)
    private String sortKey;
    @Column(name = "seal", length = 64, nullable = false)
    private String seal;

    protected LedgerRow() {
    }

    LedgerRow(Block block, OrderKey key, String seal) {
        this.hash = block.hash();
        this.parents = Tables.joinParents(block.parents());
        this.height = block.height();
        this.author = block.author();
        this.sender = block.sender();
        this.timestamp = block.timestamp().toEpochMilli();
        this.message = block.message();
        this.signature = block.signature();
        this.orderTs = key.orderTs();
        this.sortKey = key.sortKey();
        this.seal = seal;
    }

    /** The block as stored; throws IllegalArgumentException if a row was damaged into a malformed shape. */
    public Block toBlock() {
        return new Block(Tables.splitParents(parents), height, author, sender, Instant.ofEpochMilli(timestamp), message,
                hash, signature);
    }

    public OrderKey orderKey() {
        return new OrderKey(orderTs, height, hash);
    }

    public String hash() {
        return hash;
    }

    String parents() {
        return parents;
    }
}
