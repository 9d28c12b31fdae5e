package net.ledgerchat.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * A ledger written into a real H2 file through the real persistence unit and repository, committed
 * in groups as the writer does: a group founded by the node ({@link GroupBlocks}: genesis, the peer's invite
 * and admit), then a DAG of messages from the node and the peer that keeps several heads which later messages
 * merge. Keeps every block as written, with its context and how it is shown, so a test can hand one back as a
 * peer would, or rebuild a message row as the membership would show it.
 */
final class TestLedger implements AutoCloseable {
    /** The group id: the genesis hash. */
    final String group;
    final NodeIdentity node;
    final NodeIdentity peer = NodeIdentity.generate();
    final String url;
    final EntityManagerFactory factory;
    /** Every block in the order written: the founding first, the genesis at 0. */
    final List<String> hashes = new ArrayList<>();
    /** The messages among {@link #hashes}, in the order written. */
    final List<String> messages = new ArrayList<>();
    final Map<String, LedgerRepository.Append> written = new HashMap<>();
    final List<String> heads;
    final LedgerRepository.SealedDigest digest;
    private final List<String> headHashes;

    private TestLedger(String name, NodeIdentity node, Path dir, int blocks, long seed) {
        this.node = node;
        this.url = "jdbc:h2:file:" + dir.resolve("chat") + ";WRITE_DELAY=0";
        this.factory = ChatUnit.open(url, "chat", "chat", dir.resolve("ddl.sql"), Map.of());
        Random random = new Random(seed);
        GroupBlocks blocksOf = GroupBlocks.found(name, List.of(node, peer), Instant.ofEpochMilli(1_700_000_000_000L),
                random);
        this.group = blocksOf.id();
        List<GroupBlocks.Placed> founding = blocksOf.founding();
        Seal seal = node.seal();
        TreeSet<OrderKey> tips = new TreeSet<>();
        SetDigest set = SetDigest.EMPTY;
        long clock = blocksOf.foundedAt();
        EntityManager em = factory.createEntityManager();
        LedgerRepository repository = new LedgerRepository(em);
        while (hashes.size() < blocks) {
            int size = Math.min(blocks - hashes.size(), 1 + random.nextInt(5));
            List<LedgerRepository.Append> appends = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                GroupBlocks.Placed placed;
                if (hashes.size() < founding.size()) {
                    placed = founding.get(hashes.size());
                } else {
                    List<OrderKey> parents = random.nextInt(3) == 0
                            ? List.of(new ArrayList<>(tips).get(random.nextInt(tips.size()))) : List.copyOf(tips);
                    clock += random.nextInt(3);
                    placed = blocksOf.message(random.nextBoolean() ? node : peer, parents, Instant.ofEpochMilli(clock),
                            "message " + hashes.size() + " " + "x".repeat(random.nextInt(40)));
                    messages.add(placed.block().hash());
                }
                Block block = placed.block();
                LedgerRepository.Append append = placed.append(seal, null);
                appends.add(append);
                written.put(block.hash(), append);
                tips.removeIf(k -> block.parents().contains(k.hash()));
                tips.add(placed.key());
                set = set.plus(block.hash());
                hashes.add(block.hash());
            }
            List<String> sorted = tips.stream().map(OrderKey::hash).sorted().toList();
            em.getTransaction().begin();
            repository.append(appends, new LedgerRepository.SealedDigest(set, seal.compute(set)),
                    new LedgerRepository.SealedHeads(sorted, seal.compute(set.count(), sorted)));
            em.getTransaction().commit();
        }
        em.close();
        this.heads = tips.stream().map(OrderKey::hash).toList();
        this.headHashes = tips.stream().map(OrderKey::hash).sorted().toList();
        this.digest = new LedgerRepository.SealedDigest(set, seal.compute(set));
    }

    /** {@code blocks} blocks in all, the group's founding (3 blocks) included. */
    static TestLedger write(String name, NodeIdentity node, Path dir, int blocks, long seed) {
        return new TestLedger(name, node, dir, blocks, seed);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "chat", "chat");
    }

    ScanResult scan(ExecutorService pool, int parts, boolean verifySignatures) throws SQLException {
        return new LedgerScanner(group, node::seal, heads, verifySignatures).scan(this::connect, pool, parts);
    }

    /** Runs {@code work} in one transaction of its own EntityManager. */
    <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /** The order keys of every block written, in ledger order: what the database's own order must match. */
    NavigableSet<OrderKey> sortedKeys() {
        NavigableSet<OrderKey> keys = new TreeSet<>();
        written.values().forEach(a -> keys.add(a.key()));
        return keys;
    }

    /** The order keys of the messages written, in ledger order. */
    NavigableSet<OrderKey> sortedMessageKeys() {
        NavigableSet<OrderKey> keys = new TreeSet<>();
        messages.forEach(h -> keys.add(written.get(h).key()));
        return keys;
    }

    /**
     * Shows each message as it was shown when written, and fails if it is asked with another context than the one
     * stored with the message: the membership's rule would answer for the wrong past.
     */
    ShowRule showRule() {
        return (message, context) -> {
            LedgerRepository.Append append = written.get(message.hash());
            if (append == null || !append.context().equals(context)) {
                throw new AssertionError("asked to show " + message.hash() + " with context " + context + ", stored with "
                        + (append == null ? "nothing" : append.context()));
            }
            return append.shown();
        };
    }

    /** Stores blocks as they were written (parents first), leaving the sealed digest as it is: what a restore does. */
    void restore(List<String> blocks) {
        List<LedgerRepository.Append> appends = blocks.stream().map(written::get)
                .sorted(java.util.Comparator.comparing(LedgerRepository.Append::key)).toList();
        inTransaction(em -> {
            new LedgerRepository(em).append(appends, digest, new LedgerRepository.SealedHeads(headHashes,
                    node.seal().compute(digest.digest().count(), headHashes)));
            return null;
        });
    }

    @Override
    public void close() {
        factory.close();
    }
}
