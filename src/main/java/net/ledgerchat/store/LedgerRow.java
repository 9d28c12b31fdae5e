package net.ledgerchat.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;

/**
 * One block of the chain, the source of truth. {@code parents} keeps the canonical parent list
 * inline (it is part of what the hash covers, and a validation scan reads it without a join), as the
 * parents' 32-byte hashes concatenated; {@link ParentLink} rows index the same edges for queries by parent.
 *
 * <p>Hashes, keys, signature, seal and sort key are stored as bytes, not hex: H2 copies every B-tree page a
 * commit touches, and hex doubles those pages and is serialized character by character (measured with
 * StorageLayoutProbe: the binary layout commits 1.7-1.8x as many blocks and writes half the bytes, docs/benchmarks-log.md).
 * The domain keeps hex; the conversion happens here, at the boundary.
 *
 * <p>The sort key is indexed both ways because H2 (2.2) reads an index in one direction only: with the ascending
 * index alone, {@code sort_key < ? ORDER BY sort_key DESC} (the sync walk's read-ahead and probes) reads every
 * row below the key and sorts them, however small the limit.
 */
@Entity
@Table(name = Tables.LEDGER, indexes = {
    @Index(name = "ledger_sort_key", columnList = "sort_key", unique = true),
    @Index(name = Tables.LEDGER_SORT_KEY_DESC, columnList = Tables.SORT_KEY_DESC)})
public class LedgerRow {
    @Id
    @Column(name = "hash", length = Tables.HASH_BYTES, nullable = false)
    private byte[] hash;
    @Column(name = "parents", length = Tables.PARENTS_BYTES, nullable = false)
    private byte[] parents;
    @Column(name = "height", nullable = false)
    private long height;
    @Column(name = "author", length = Tables.KEY_BYTES, nullable = false)
    private byte[] author;
    /** The group id's 32 bytes; none for the genesis, whose hash is the group id. */
    @Column(name = "grp", length = Tables.HASH_BYTES, nullable = false)
    private byte[] group;
    @Column(name = "ts", nullable = false)
    private long timestamp;
    @Column(name = "kind", nullable = false)
    private int kind;
    /** The body's canonical encoding, which the header's digest is taken over. */
    @Column(name = "body", length = Tables.BODY_BYTES, nullable = false)
    private byte[] body;
    /** Not part of the block: the membership blocks latest in its parents' past (its membership context there). */
    @Column(name = "context", length = Tables.CONTEXT_BYTES, nullable = false)
    private byte[] context;
    @Column(name = "signature", length = Tables.SIGNATURE_BYTES, nullable = false)
    private byte[] signature;
    @Column(name = "order_ts", nullable = false)
    private long orderTs;
    @Column(name = "sort_key", length = OrderKey.SORT_KEY_BYTES, nullable = false)
    private byte[] sortKey;
    @Column(name = "seal", length = Tables.SEAL_BYTES, nullable = false)
    private byte[] seal;

    protected LedgerRow() {
    }

    LedgerRow(Block block, OrderKey key, String seal, List<String> context) {
        this.hash = Tables.hashBytes(block.hash());
        this.parents = Tables.parentBytes(block.parents());
        this.height = block.height();
        this.author = Hex.decode(block.author(), Tables.KEY_BYTES, "author");
        this.group = block.isGenesis() ? new byte[0] : Tables.hashBytes(block.header().group());
        this.timestamp = block.timestamp().toEpochMilli();
        this.kind = block.kind().code();
        this.body = block.body().encode();
        this.context = Tables.parentBytes(context);
        this.signature = Hex.decode(block.signature(), Tables.SIGNATURE_BYTES, "signature");
        this.orderTs = key.orderTs();
        this.sortKey = key.sortKeyBytes();
        this.seal = Hex.decode(seal, Tables.SEAL_BYTES, "seal");
    }

    /** The block as stored; throws IllegalArgumentException if a row was damaged into a malformed shape. */
    public Block toBlock(Limits limits) {
        Kind stored = Kind.ofCode(kind);
        Body decoded = Body.decode(stored, body, limits);
        Header header = new Header(group.length == 0 ? "" : Tables.hex(group), Tables.parentHashes(parents), height,
                Tables.hex(author), Instant.ofEpochMilli(timestamp), stored, decoded.digest());
        return new Block(header, decoded, hash(), Tables.hex(signature));
    }

    /** The membership context stored with the block, as the hashes of its membership blocks. */
    public List<String> context() {
        return Tables.parentHashes(context);
    }

    public OrderKey orderKey() {
        return new OrderKey(orderTs, height, hash());
    }

    /** The hash in its domain form; the stored bytes never leave the entity (arrays are mutable). */
    public String hash() {
        return Tables.hex(hash);
    }
}
