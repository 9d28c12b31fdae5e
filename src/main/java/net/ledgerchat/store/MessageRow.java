package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;

/**
 * The readable projection of one block, what the page and API read. Rebuildable from {@code ledger}. The page
 * reads newest first, so the sort key is indexed downwards too (see {@link LedgerRow}: with only the ascending
 * index H2 read and sorted every message for each page).
 * <p>
 * The key is the sort key, not the hash: nothing reads a message by its hash except a repair, and every index
 * on a random key makes each commit rewrite leaf pages all over the B-tree (H2 copies a page on every change).
 * Keyed by sort key, new rows land at the end. Measured with plain JDBC on this schema, 60,000 blocks in commits
 * of 16: 4,900 blocks/s with the hash key, 6,100 without it (docs/benchmarks-log.md).
 */
@Entity
@Table(name = Tables.MESSAGES, indexes = @Index(name = Tables.MESSAGES_SORT_KEY_DESC, columnList = Tables.SORT_KEY_DESC))
public class MessageRow {
    @Id
    @Column(name = "sort_key", length = OrderKey.SORT_KEY_BYTES, nullable = false)
    private byte[] sortKey;
    @Column(name = "hash", length = Tables.HASH_BYTES, nullable = false)
    private byte[] hash;
    @Column(name = "author", length = Tables.KEY_BYTES, nullable = false)
    private byte[] author;
    @Column(name = "sender", length = Tables.SENDER_LENGTH, nullable = false)
    private String sender;
    @Column(name = "ts", nullable = false)
    private long timestamp;
    @Column(name = "text", length = Tables.TEXT_LENGTH, nullable = false)
    private String text;
    /** Whether the message counts (DESIGN section 7): only those that do are shown. Follows the membership. */
    @Column(name = "shown", nullable = false)
    private boolean shown;
    /** This node's seal over hash, shown and sender: neither is part of the block, so nothing else vouches for them. */
    @Column(name = "seal", length = Tables.SEAL_BYTES, nullable = false)
    private byte[] seal;
    /** Not part of the block: this node's idempotency key for its own send, so a repeat after a restart stores nothing. */
    @Column(name = "send_key", length = Tables.SEND_KEY_LENGTH)
    private String sendKey;

    protected MessageRow() {
    }

    MessageRow(Block block, OrderKey key, Shown shown, String shownSeal, String sendKey) {
        this.hash = Tables.hashBytes(block.hash());
        this.sortKey = key.sortKeyBytes();
        this.author = Hex.decode(block.author(), Tables.KEY_BYTES, "author");
        this.sender = shown.name();
        this.shown = shown.counts();
        this.seal = Hex.decode(shownSeal, Tables.SEAL_BYTES, "seal");
        this.timestamp = block.timestamp().toEpochMilli();
        this.text = block.body(Body.Message.class).text();
        this.sendKey = sendKey;
    }

    String sendKey() {
        return sendKey;
    }

    public StoredMessage toMessage() {
        return new StoredMessage(Tables.hex(hash), OrderKey.fromSortKeyBytes(sortKey), Tables.hex(author), sender,
                Instant.ofEpochMilli(timestamp), text);
    }
}
