package net.ledgerchat.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Writes a group's ledger the way a node's writer stores it (through the repository, in group commits, with
 * seals, membership contexts, the set digest and the sealed heads): the group's founding ({@link GroupBlocks}:
 * genesis, then an invite and an admit per other author), then real signed messages from all authors, a few a
 * second. Most messages follow every head; about one in eight follows a single head, as when two people type at
 * once, and the next ones merge the branches again.
 */
final class RealisticLedger {
    private static final int GROUP_COMMIT = 1_000;

    private RealisticLedger() {
    }

    /**
     * Writes {@code size} blocks, the founding included, as stored by {@code authors[0]} (the founder); their keys
     * go to {@code keys} in insertion order, and to {@code known}. Answers the group, to write more blocks of it.
     */
    static GroupBlocks write(EntityManagerFactory factory, int size, long seed, NodeIdentity[] authors,
                             List<OrderKey> keys, KnownBlocks known) {
        Random random = new Random(seed);
        NodeIdentity node = authors[0];
        Seal seal = node.seal();
        long clock = 1_700_000_000_000L;
        GroupBlocks group = GroupBlocks.found("Realistic", List.of(authors), Instant.ofEpochMilli(clock), random);
        clock = group.foundedAt();
        TreeSet<OrderKey> tips = new TreeSet<>();
        SetDigest digest = SetDigest.EMPTY;
        List<GroupBlocks.Placed> founding = group.founding();
        EntityManager em = factory.createEntityManager();
        try {
            LedgerRepository repository = new LedgerRepository(em);
            int written = 0;
            while (written < size) {
                List<LedgerRepository.Append> appends = new ArrayList<>();
                for (int i = 0; i < GROUP_COMMIT && written < size; i++, written++) {
                    GroupBlocks.Placed placed;
                    if (written < founding.size()) {
                        placed = founding.get(written);
                    } else {
                        List<OrderKey> follows = random.nextInt(8) == 0
                                ? List.of(new ArrayList<>(tips).get(random.nextInt(tips.size()))) : List.copyOf(tips);
                        NodeIdentity author = authors[random.nextInt(authors.length)];
                        clock += random.nextInt(400);
                        placed = group.message(author, follows, Instant.ofEpochMilli(clock),
                                "message " + written + " " + "x".repeat(random.nextInt(60)));
                    }
                    Block block = placed.block();
                    appends.add(placed.append(seal, null));
                    tips.removeIf(k -> block.parents().contains(k.hash()));
                    tips.add(placed.key());
                    digest = digest.plus(block.hash());
                    keys.add(placed.key());
                    known.add(placed.key(), block.parents());
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
        return group;
    }
}
