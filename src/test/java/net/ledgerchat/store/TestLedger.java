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
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * A ledger written into a real H2 file through the real persistence unit and repository, committed
 * in groups as the writer does: a DAG from two authors that keeps several heads which later blocks
 * merge. Keeps every block as written, so a test can hand one back as a peer would.
 */
final class TestLedger implements AutoCloseable {
    final String group;
    final NodeIdentity node;
    final String url;
    final EntityManagerFactory factory;
    final List<String> hashes = new ArrayList<>();
    final Map<String, LedgerRepository.Append> written = new HashMap<>();
    final List<String> heads;
    final LedgerRepository.SealedDigest digest;
    private final List<String> headHashes;

    private TestLedger(String group, NodeIdentity node, Path dir, int blocks, long seed) {
        this.group = group;
        this.node = node;
        this.url = "jdbc:h2:file:" + dir.resolve("chat") + ";WRITE_DELAY=0";
        this.factory = ChatUnit.open(url, "chat", "chat", dir.resolve("ddl.sql"), Map.of());
        NodeIdentity peer = NodeIdentity.generate();
        Random random = new Random(seed);
        Seal seal = node.seal();
        TreeSet<OrderKey> tips = new TreeSet<>();
        SetDigest set = SetDigest.EMPTY;
        long clock = 1_700_000_000_000L;
        EntityManager em = factory.createEntityManager();
        LedgerRepository repository = new LedgerRepository(em);
        while (hashes.size() < blocks) {
            int size = Math.min(blocks - hashes.size(), 1 + random.nextInt(5));
            List<LedgerRepository.Append> appends = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                List<OrderKey> parents = tips.isEmpty() ? List.of()
                        : random.nextInt(3) == 0 ? List.of(new ArrayList<>(tips).get(random.nextInt(tips.size())))
                        : List.copyOf(tips);
                NodeIdentity author = random.nextBoolean() ? node : peer;
                clock += random.nextInt(3);
                Block block = new BlockFactory(group, author).create(parents, author == node ? "Node" : "Peer",
                        Instant.ofEpochMilli(clock), "message " + hashes.size() + " " + "x".repeat(random.nextInt(40)));
                OrderKey key = OrderKey.of(block, parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0));
                LedgerRepository.Append append = new LedgerRepository.Append(block, key,
                        seal.compute(block.hash(), block.signature(), key.orderTs()));
                appends.add(append);
                written.put(block.hash(), append);
                tips.removeAll(parents);
                tips.add(key);
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

    static TestLedger write(String group, NodeIdentity node, Path dir, int blocks, long seed) {
        return new TestLedger(group, node, dir, blocks, seed);
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
