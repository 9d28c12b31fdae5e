package net.ledgerchat.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.SetDigest;

/**
 * Reads and writes the ledger through JPA. Writes must run inside the caller's transaction: one
 * {@link #append} stores the ledger row, its parent links, its message row and the new sealed
 * digest together, or nothing.
 */
@ApplicationScoped
public class LedgerRepository {
    private static final int MAX_IN = 1_000;
    @PersistenceContext(unitName = "chat")
    private EntityManager em;

    public LedgerRepository() {
    }

    /** Outside a container (tests): the caller's own EntityManager and transactions. */
    LedgerRepository(EntityManager em) {
        this.em = em;
    }

    /** The sealed set digest, or empty for a ledger that has never been written. */
    public Optional<SealedDigest> digest() {
        MetaRow meta = em.find(MetaRow.class, MetaRow.ID);
        return Optional.ofNullable(meta).map(m -> new SealedDigest(m.digest(), m.seal()));
    }

    /** Whether {@code hash} is stored; a malformed hash never is (hashes are bound as bytes, see {@link LedgerRow}). */
    public boolean contains(String hash) {
        byte[] key = Tables.hashOrNull(hash);
        return key != null && !em.createQuery("SELECT r.height FROM LedgerRow r WHERE r.hash = :h", Long.class)
                .setParameter("h", key).getResultList().isEmpty();
    }

    /** Whether a stored block names {@code hash} as a parent (one index seek). */
    public boolean isParent(String hash) {
        byte[] key = Tables.hashOrNull(hash);
        return key != null && !em.createQuery("SELECT p.childHash FROM ParentLink p WHERE p.parentHash = :h", byte[].class)
                .setParameter("h", key).setMaxResults(1).getResultList().isEmpty();
    }

    /** Order keys of those of {@code hashes} that are stored. */
    public Map<String, OrderKey> keysOf(Collection<String> hashes) {
        Map<String, OrderKey> keys = new HashMap<>();
        placesOf(hashes).forEach((hash, place) -> keys.put(hash, place.key()));
        return keys;
    }

    /** Order keys and membership contexts of those of {@code hashes} that are stored: what a child is placed by. */
    public Map<String, BlockPlace> placesOf(Collection<String> hashes) {
        Map<String, BlockPlace> places = new HashMap<>();
        for (List<byte[]> chunk : chunks(hashes, Tables::hashOrNull)) {
            List<Object[]> rows = em.createQuery(
                            "SELECT r.hash, r.orderTs, r.height, r.context, r.kind FROM LedgerRow r WHERE r.hash IN :hashes",
                            Object[].class)
                    .setParameter("hashes", chunk).getResultList();
            for (Object[] row : rows) {
                String hash = Tables.hex((byte[]) row[0]);
                // A membership block is the latest membership block in its children's past.
                List<String> context = (Integer) row[4] == Kind.MESSAGE.code() ? Tables.parentHashes((byte[]) row[3])
                        : List.of(hash);
                places.put(hash, new BlockPlace(new OrderKey((Long) row[1], (Long) row[2], hash), context));
            }
        }
        return places;
    }

    /**
     * The heads as the last commit sealed them, when {@code trust} accepts that seal; otherwise empty,
     * and the caller walks with {@link #heads()}.
     */
    public Optional<TrustedHeads> sealedHeads(java.util.function.BiPredicate<Long, SealedHeads> trust) {
        MetaRow meta = em.find(MetaRow.class, MetaRow.ID);
        HeadsRow row = em.find(HeadsRow.class, HeadsRow.ID);
        SealedHeads sealed = meta == null || row == null ? null : row.sealedHeads();
        if (sealed == null || !trust.test(meta.digest().count(), sealed)) {
            return Optional.empty();
        }
        Map<String, OrderKey> keys = keysOf(sealed.heads());
        List<String> absent = sealed.heads().stream().filter(h -> !keys.containsKey(h)).toList();
        return Optional.of(new TrustedHeads(List.copyOf(keys.values()), absent));
    }

    /** The sealed heads that are stored, and those that were deleted behind the node's back (to restore). */
    public record TrustedHeads(List<OrderKey> stored, List<String> absent) {
        public TrustedHeads {
            stored = List.copyOf(stored);
            absent = List.copyOf(absent);
        }
    }

    /** Blocks no other block names as parent. Walks the whole table: for start-up and after repair only. */
    public List<OrderKey> heads() {
        List<Object[]> rows = em.createQuery("SELECT r.hash, r.orderTs, r.height FROM LedgerRow r WHERE NOT EXISTS "
                + "(SELECT p.childHash FROM ParentLink p WHERE p.parentHash = r.hash)", Object[].class).getResultList();
        List<OrderKey> heads = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            heads.add(new OrderKey((Long) row[1], (Long) row[2], Tables.hex((byte[]) row[0])));
        }
        return heads;
    }

    /** Stores a group of blocks, parents before children, and the digest of the set after them. */
    public void append(List<Append> group, SealedDigest after, SealedHeads heads) {
        for (Append a : group) {
            em.persist(new LedgerRow(a.block(), a.key(), a.seal(), a.context()));
            for (String parent : a.block().parents()) {
                em.persist(new ParentLink(a.block().hash(), parent));
            }
            if (a.shown() != null) {
                em.persist(new MessageRow(a.block(), a.key(), a.shown(), a.shownSeal(), a.sendKey()));
            }
        }
        MetaRow.write(em, after.digest(), after.seal());
        HeadsRow.write(em, heads);
    }

    /**
     * Up to {@code most} keyed sends among the newest {@code scan} messages, newest first: what a restarted node
     * still answers repeats for. Bounded by messages, so a node that has not sent for long reads no more; only the
     * keyed rows are read whole (texts may be long), the others as sort keys from the index.
     */
    public List<KeyedSend> recentKeyedSends(int scan, int most) {
        List<byte[]> newest = em.createQuery("SELECT m.sortKey FROM MessageRow m ORDER BY m.sortKey DESC", byte[].class)
                .setMaxResults(scan).getResultList();
        if (newest.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT m FROM MessageRow m WHERE m.sortKey >= :oldest AND m.sendKey IS NOT NULL"
                        + " ORDER BY m.sortKey DESC", MessageRow.class)
                .setParameter("oldest", newest.get(newest.size() - 1)).setMaxResults(most).getResultList().stream()
                .map(m -> new KeyedSend(m.sendKey(), m.toMessage())).toList();
    }

    /** The newest {@code limit} messages strictly before {@code before} (or the newest of all), newest first. */
    public List<StoredMessage> messagesBefore(Optional<OrderKey> before, int limit) {
        var query = before.isPresent()
                ? em.createQuery("SELECT m FROM MessageRow m WHERE m.shown = TRUE AND m.sortKey < :k ORDER BY m.sortKey DESC", MessageRow.class)
                        .setParameter("k", before.get().sortKeyBytes())
                : em.createQuery("SELECT m FROM MessageRow m WHERE m.shown = TRUE ORDER BY m.sortKey DESC", MessageRow.class);
        return query.setMaxResults(limit).getResultList().stream().map(MessageRow::toMessage).toList();
    }

    /** One stored block by hash (one primary-key read), for peers asking for it. */
    public Optional<StoredBlock> find(String hash) {
        return row(hash).map(r -> new StoredBlock(r.toBlock(Tables.STORED_LIMITS), r.orderKey()));
    }

    /**
     * One ledger row by hash: one primary-key seek on the hash's bytes, empty for a string that is not a hash (which
     * {@code em.find} would have to be guarded against too).
     */
    Optional<LedgerRow> row(String hash) {
        byte[] key = Tables.hashOrNull(hash);
        return key == null ? Optional.empty() : em.createQuery("SELECT r FROM LedgerRow r WHERE r.hash = :h", LedgerRow.class)
                .setParameter("h", key).getResultList().stream().findFirst();
    }

    /** The stored ones of {@code hashes}, in the order asked (one query for a whole sync batch). */
    public List<Block> findAll(List<String> hashes) {
        Map<String, Block> found = new HashMap<>();
        for (List<byte[]> chunk : chunks(hashes, Tables::hashOrNull)) {
            em.createQuery("SELECT r FROM LedgerRow r WHERE r.hash IN :h", LedgerRow.class).setParameter("h", chunk)
                    .getResultList().forEach(r -> found.put(r.hash(), r.toBlock(Tables.STORED_LIMITS)));
        }
        return hashes.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /** A stored block's order key and parents, without its text: what a sync walk reads per step. */
    public Optional<Linked> linksOf(String hash) {
        byte[] key = Tables.hashOrNull(hash);
        if (key == null) {
            return Optional.empty();
        }
        List<Object[]> rows = em.createQuery("SELECT r.orderTs, r.height, r.parents FROM LedgerRow r WHERE r.hash = :h",
                Object[].class).setParameter("h", key).getResultList();
        return rows.stream().findFirst().map(r -> new Linked(new OrderKey((Long) r[0], (Long) r[1], hash),
                Tables.parentHashes((byte[]) r[2])));
    }

    /**
     * Up to {@code limit} blocks strictly before {@code key} in ledger order, nearest first: a sync walk's read-ahead.
     * One ordered read of the descending sort-key index, as long as the rows it returns wherever the key is.
     */
    public List<Linked> linkedBefore(OrderKey key, int limit) {
        return em.createQuery("SELECT r.hash, r.orderTs, r.height, r.parents FROM LedgerRow r WHERE r.sortKey < :k"
                        + " ORDER BY r.sortKey DESC", Object[].class)
                .setParameter("k", key.sortKeyBytes()).setMaxResults(limit).getResultList().stream()
                .map(r -> new Linked(new OrderKey((Long) r[1], (Long) r[2], Tables.hex((byte[]) r[0])),
                        Tables.parentHashes((byte[]) r[3])))
                .toList();
    }

    /** A block's place and parents. */
    public record Linked(OrderKey key, List<String> parents) {
        public Linked {
            parents = List.copyOf(parents);
        }
    }

    /**
     * Hashes of the newest block at or before each of {@code cutoffs} (order timestamps, newest first): a
     * sync request names them so a peer finds a common point even when this node's heads are new to it.
     * Each is one seek on the descending sort-key index.
     */
    public List<String> newestAtOrBefore(List<Long> cutoffs) {
        List<String> found = new ArrayList<>();
        for (long cutoff : cutoffs) {
            // Every key of order timestamp <= cutoff sorts below the key of (cutoff + 1, 0, 0...).
            byte[] bound = new OrderKey(cutoff + 1, 0, "0".repeat(64)).sortKeyBytes();
            em.createQuery("SELECT r.hash FROM LedgerRow r WHERE r.sortKey < :k ORDER BY r.sortKey DESC", byte[].class)
                    .setParameter("k", bound).setMaxResults(1).getResultList().stream().map(Tables::hex).forEach(h -> {
                        if (!found.contains(h)) {
                            found.add(h);
                        }
                    });
        }
        return found;
    }

    /** Up to {@code limit} full blocks strictly after {@code after} (or from the first), in ledger order. */
    public List<StoredBlock> blocksAfter(Optional<OrderKey> after, int limit) {
        var query = after.isPresent()
                ? em.createQuery("SELECT r FROM LedgerRow r WHERE r.sortKey > :k ORDER BY r.sortKey", LedgerRow.class)
                        .setParameter("k", after.get().sortKeyBytes())
                : em.createQuery("SELECT r FROM LedgerRow r ORDER BY r.sortKey", LedgerRow.class);
        return query.setMaxResults(limit).getResultList().stream()
                .map(r -> new StoredBlock(r.toBlock(Tables.STORED_LIMITS), r.orderKey())).toList();
    }

    /**
     * {@code hashes} as {@code bytes} gives them (null: left out), in slices of at most {@link #MAX_IN} for an IN
     * list: SQL Server takes at most 2,100 parameters.
     */
    static List<List<byte[]>> chunks(Collection<String> hashes, java.util.function.Function<String, byte[]> bytes) {
        List<byte[]> all = hashes.stream().map(bytes).filter(java.util.Objects::nonNull).toList();
        List<List<byte[]>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_IN) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX_IN)));
        }
        return chunks;
    }

    /**
     * One block to store, with its order key, the seal this node vouches for it with and its membership context;
     * for a message, how it is shown ({@code shown}, else null) and the idempotency key of this node's own send
     * ({@code sendKey}, or null: blocks from elsewhere, unkeyed sends).
     */
    public record Append(Block block, OrderKey key, String seal, List<String> context, Shown shown, String shownSeal,
                         String sendKey) {
        public Append {
            context = List.copyOf(context);
            if ((shown != null) != (block.kind() == Kind.MESSAGE) || (shownSeal != null) != (shown != null)) {
                throw new IllegalArgumentException("a message, and only a message, is shown, under its seal");
            }
        }
    }

    /** A stored block's height and parents, or empty: one primary-key read, for the membership's ancestry walks. */
    public Optional<Ancestry.Links> ancestryLinks(String hash) {
        return linksOf(hash).map(l -> new Ancestry.Links(l.key().height(), l.parents()));
    }

    /** Every stored message by {@code author} with its membership context: to show again when the membership changes. */
    public List<MessageOf> messagesBy(String author) {
        byte[] key = Hex.decode(author, Tables.KEY_BYTES, "author");
        return em.createQuery("SELECT r FROM LedgerRow r WHERE r.author = :a AND r.kind = :k", LedgerRow.class)
                .setParameter("a", key).setParameter("k", Kind.MESSAGE.code()).getResultList().stream()
                .map(r -> new MessageOf(r.toBlock(Tables.STORED_LIMITS), r.orderKey(), r.context())).toList();
    }

    /** How many stored messages of each author do not count: kept and synced, never shown (DESIGN section 7). */
    public Map<String, Long> hiddenMessagesByAuthor() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object[] row : em.createQuery("SELECT m.author, COUNT(m) FROM MessageRow m WHERE m.shown = false"
                + " GROUP BY m.author", Object[].class).getResultList()) {
            counts.put(Hex.encode((byte[]) row[0]), ((Number) row[1]).longValue());
        }
        return counts;
    }

    /** A stored message, its place and its membership context. */
    public record MessageOf(Block block, OrderKey key, List<String> context) {
    }

    /**
     * Sets how the message at {@code key} is shown; answers whether it changed. By the sort key, the table's primary
     * key (messages have no hash index). Inside the caller's transaction.
     */
    public boolean show(OrderKey key, Shown shown, String shownSeal) {
        return em.createQuery("UPDATE MessageRow m SET m.shown = :s, m.sender = :n, m.seal = :seal WHERE m.sortKey = :k"
                        + " AND (m.shown <> :s OR m.sender <> :n)")
                .setParameter("s", shown.counts()).setParameter("n", shown.name())
                .setParameter("seal", Hex.decode(shownSeal, Tables.SEAL_BYTES, "seal")).setParameter("k", key.sortKeyBytes())
                .executeUpdate() > 0;
    }

    /**
     * Empties every table: a node that founded a group and holds nothing but its genesis leaves it to join another.
     * Inside the caller's transaction.
     */
    public void forgetEverything() {
        for (String entity : List.of("MessageRow", "ParentLink", "LedgerRow", "MetaRow", "HeadsRow")) {
            em.createQuery("DELETE FROM " + entity).executeUpdate();
        }
    }

    /** The group's first block, if this node holds it. */
    public Optional<Block> genesis() {
        return em.createQuery("SELECT r FROM LedgerRow r WHERE r.kind = :k", LedgerRow.class)
                .setParameter("k", Kind.GENESIS.code()).setMaxResults(1).getResultList().stream()
                .map(r -> r.toBlock(Tables.STORED_LIMITS)).findFirst();
    }

    /** Every stored membership block, parents first (ledger order): the membership is rebuilt from them at start. */
    public List<MembershipRow> membershipBlocks() {
        return em.createQuery("SELECT r FROM LedgerRow r WHERE r.kind <> :k ORDER BY r.sortKey", LedgerRow.class)
                .setParameter("k", Kind.MESSAGE.code()).getResultList().stream()
                .map(r -> new MembershipRow(r.toBlock(Tables.STORED_LIMITS), r.context())).toList();
    }

    /** A stored membership block and the membership context at its parents. */
    public record MembershipRow(Block block, List<String> context) {
    }

    /** A message this node stored for a send with an idempotency key. */
    public record KeyedSend(String key, StoredMessage message) {
    }

    /** The head hashes after a commit, sorted, with the seal that vouches for them and the block count. */
    public record SealedHeads(List<String> heads, String seal) {
        public SealedHeads {
            heads = List.copyOf(heads);
        }
    }

    /** The digest of the stored set together with the seal that vouches for it. */
    public record SealedDigest(SetDigest digest, String seal) {
    }
}
