package net.ledgerchat.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Writes a group's ledger the way a node's writer stores it (through the repository, in group commits, with
 * seals, the set digest and the sealed heads): real signed blocks from several authors, a few a second. Most
 * blocks follow every head; about one in eight follows a single head, as when two people type at once, and
 * the next ones merge the branches again.
 */
final class RealisticLedger {
    private static final int GROUP_COMMIT = 1_000;

    private RealisticLedger() {
    }

    /** Writes {@code size} blocks; their keys go to {@code keys} in insertion order, and to {@code known}. */
    static void write(EntityManagerFactory factory, int size, long seed, NodeIdentity[] authors, String group,
                      List<OrderKey> keys, KnownBlocks known) {
        Random random = new Random(seed);
        NodeIdentity node = authors[0];
        Seal seal = node.seal();
        TreeSet<OrderKey> tips = new TreeSet<>();
        SetDigest digest = SetDigest.EMPTY;
        long clock = 1_700_000_000_000L;
        EntityManager em = factory.createEntityManager();
        try {
            LedgerRepository repository = new LedgerRepository(em);
            int written = 0;
            while (written < size) {
                List<LedgerRepository.Append> appends = new ArrayList<>();
                for (int i = 0; i < GROUP_COMMIT && written < size; i++, written++) {
                    List<OrderKey> follows = tips.isEmpty() ? List.of()
                            : random.nextInt(8) == 0 ? List.of(new ArrayList<>(tips).get(random.nextInt(tips.size())))
                            : List.copyOf(tips);
                    NodeIdentity author = authors[random.nextInt(authors.length)];
                    clock += random.nextInt(400);
                    Block block = new BlockFactory(group, author).create(follows, "Author " + author.publicKey().substring(0, 6),
                            Instant.ofEpochMilli(clock), "message " + written + " " + "x".repeat(random.nextInt(60)));
                    OrderKey key = OrderKey.of(block, follows.stream().mapToLong(OrderKey::orderTs).max().orElse(0));
                    appends.add(new LedgerRepository.Append(block, key, seal.compute(block.hash(), block.signature(),
                            key.orderTs())));
                    tips.removeAll(follows);
                    tips.add(key);
                    digest = digest.plus(block.hash());
                    keys.add(key);
                    known.add(key, block.parents());
                }
                List<String> headHashes = tips.stream().map(OrderKey::hash).sorted().toList();
                em.getTransaction().begin();
                repository.append(appends, new LedgerRepository.SealedDigest(digest, seal.compute(digest)),
                        new LedgerRepository.SealedHeads(headHashes, seal.compute(digest.count(), headHashes)));
                em.getTransaction().commit();
                // Without this the persistence context would hold every row written, and find() would not reach H2.
                em.clear();
            }
        } finally {
            em.close();
        }
    }
}
