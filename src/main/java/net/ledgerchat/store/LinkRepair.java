package net.ledgerchat.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts each stored block's parent links back in line with its {@code parents} column. The column is the
 * parents' 32-byte hashes concatenated, which JPQL cannot slice portably, so the comparison is made here:
 * ledger rows in pages by hash, each page's links read by one range of the link table's primary key, so
 * memory holds one page whatever the size of the ledger. Links of blocks that are not stored are the
 * caller's to drop.
 */
final class LinkRepair {
    private static final int PAGE = 500;
    private final EntityManager em;

    LinkRepair(EntityManager em) {
        this.em = em;
    }

    /** Relinks every block whose links differ from its parents; returns links dropped plus blocks relinked. */
    int run() {
        int repaired = 0;
        byte[] after = null;
        while (true) {
            List<Object[]> page = page(after);
            if (page.isEmpty()) {
                return repaired;
            }
            byte[] first = (byte[]) page.get(0)[0];
            after = (byte[]) page.get(page.size() - 1)[0];
            Map<ByteBuffer, Set<ByteBuffer>> links = links(first, after);
            for (Object[] row : page) {
                repaired += repair((byte[]) row[0], (byte[]) row[1], links.getOrDefault(ByteBuffer.wrap((byte[]) row[0]), Set.of()));
            }
        }
    }

    private List<Object[]> page(byte[] after) {
        TypedQuery<Object[]> query = after == null
                ? em.createQuery("SELECT r.hash, r.parents FROM LedgerRow r ORDER BY r.hash", Object[].class)
                : em.createQuery("SELECT r.hash, r.parents FROM LedgerRow r WHERE r.hash > :a ORDER BY r.hash", Object[].class)
                        .setParameter("a", after);
        return query.setMaxResults(PAGE).getResultList();
    }

    /** The links of every child from {@code first} to {@code last}, by child. */
    private Map<ByteBuffer, Set<ByteBuffer>> links(byte[] first, byte[] last) {
        Map<ByteBuffer, Set<ByteBuffer>> links = new HashMap<>();
        for (Object[] link : em.createQuery("SELECT p.childHash, p.parentHash FROM ParentLink p"
                        + " WHERE p.childHash >= :f AND p.childHash <= :l", Object[].class)
                .setParameter("f", first).setParameter("l", last).getResultList()) {
            links.computeIfAbsent(ByteBuffer.wrap((byte[]) link[0]), k -> new HashSet<>()).add(ByteBuffer.wrap((byte[]) link[1]));
        }
        return links;
    }

    private int repair(byte[] child, byte[] parents, Set<ByteBuffer> linked) {
        if (parents == null || parents.length % Tables.HASH_BYTES != 0) {
            // A malformed row: the scan reports it and the repair removes it, links with it; nothing to compare against.
            return 0;
        }
        Set<ByteBuffer> named = new HashSet<>();
        for (int at = 0; at < parents.length; at += Tables.HASH_BYTES) {
            named.add(ByteBuffer.wrap(parents, at, Tables.HASH_BYTES).slice());
        }
        if (named.equals(linked)) {
            return 0;
        }
        int dropped = (int) linked.stream().filter(l -> !named.contains(l)).count();
        boolean lacking = !linked.containsAll(named);
        em.createQuery("DELETE FROM ParentLink p WHERE p.childHash = :h").setParameter("h", child).executeUpdate();
        String hash = Tables.hex(child);
        for (String parent : Tables.parentHashes(parents)) {
            em.persist(new ParentLink(hash, parent));
        }
        return dropped + (lacking ? 1 : 0);
    }
}
