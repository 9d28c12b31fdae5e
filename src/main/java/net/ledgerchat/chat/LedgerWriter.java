package net.ledgerchat.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.store.StoredBlock;

/**
 * The one writer of the ledger. Every append (a local send or a block from elsewhere) runs under
 * one lock, so two sends at the same instant chain one after the other instead of forking, and
 * the in-memory heads and digest always match what the last commit stored. Expensive checks
 * (signatures) run before the lock is taken.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());
    private static final int PENDING_CAPACITY = 10_000;

    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    @Inject
    private LedgerRepository repository;
    @Inject
    private Event<BlockStored> events;
    @Resource
    private UserTransaction transaction;

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock = Clock.systemUTC();
    private final TreeSet<OrderKey> heads = new TreeSet<>();
    private final PendingPool pending = new PendingPool(PENDING_CAPACITY);
    private BlockVerifier verifier;
    private BlockFactory factory;
    private Seal seal;
    private SealedDigest digest;

    @PostConstruct
    void open() {
        verifier = new BlockVerifier(settings.groupId(), settings.limits(), clock);
        factory = new BlockFactory(settings.groupId(), identity);
        seal = identity.seal();
        reload();
        LOG.info(() -> "[DB] Ledger opened: " + digest.digest().count() + " blocks, " + heads.size() + " head(s)");
    }

    /** Re-reads heads and digest from the database, e.g. after the ledger was repaired. */
    public void reload() {
        lock.lock();
        try {
            heads.clear();
            heads.addAll(repository.heads());
            digest = repository.digest().orElseGet(() -> new SealedDigest(SetDigest.EMPTY, seal.compute(SetDigest.EMPTY)));
        } finally {
            lock.unlock();
        }
    }

    /** Appends this node's message after every current head. */
    public StoredBlock send(String sender, String text) throws BlockRejectedException {
        StoredBlock stored;
        lock.lock();
        try {
            List<OrderKey> parents = newestHeads();
            Block block = factory.create(parents, sender, Instant.ofEpochMilli(clock.millis()), text);
            verifier.verifyShape(block);
            stored = store(block, parents);
        } finally {
            lock.unlock();
        }
        events.fire(new BlockStored(stored, true));
        return stored;
    }

    /** Verifies and stores a block from elsewhere; blocks waiting on it are stored too. Idempotent. */
    public AcceptOutcome accept(Block block) throws BlockRejectedException {
        verifier.verifyContent(block);
        List<StoredBlock> storedNow = new ArrayList<>();
        AcceptOutcome outcome;
        lock.lock();
        try {
            outcome = acceptLocked(block, storedNow);
        } finally {
            lock.unlock();
        }
        for (StoredBlock stored : storedNow) {
            events.fire(new BlockStored(stored, false));
        }
        return outcome;
    }

    private AcceptOutcome acceptLocked(Block block, List<StoredBlock> storedNow) throws BlockRejectedException {
        if (pending.isWaiting(block.hash())) {
            return AcceptOutcome.PENDING;
        }
        if (repository.contains(block.hash())) {
            return AcceptOutcome.DUPLICATE;
        }
        Map<String, OrderKey> parents = repository.keysOf(block.parents());
        if (parents.size() < block.parents().size()) {
            Set<String> missing = new HashSet<>(block.parents());
            missing.removeAll(parents.keySet());
            pending.park(block, missing);
            LOG.fine(() -> "[Blockchain] Block " + block.hash() + " waits for " + missing.size() + " parent(s)");
            return AcceptOutcome.PENDING;
        }
        verifier.verifyHeight(block, heights(parents));
        storedNow.add(store(block, parents.values()));
        releaseWaitingChildren(storedNow);
        return AcceptOutcome.STORED;
    }

    private void releaseWaitingChildren(List<StoredBlock> storedNow) {
        Deque<String> released = new ArrayDeque<>();
        storedNow.forEach(s -> released.add(s.block().hash()));
        while (!released.isEmpty()) {
            for (Block child : pending.stored(released.poll())) {
                Map<String, OrderKey> parents = repository.keysOf(child.parents());
                try {
                    verifier.verifyHeight(child, heights(parents));
                    StoredBlock stored = store(child, parents.values());
                    storedNow.add(stored);
                    released.add(child.hash());
                } catch (BlockRejectedException e) {
                    LOG.warning(() -> "[Blockchain] Dropped waiting block " + child.hash() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Parent hashes that blocks in the pending pool wait for: what to ask peers for. */
    public Set<String> missingParents() {
        lock.lock();
        try {
            return pending.missingParents();
        } finally {
            lock.unlock();
        }
    }

    public List<OrderKey> heads() {
        lock.lock();
        try {
            return List.copyOf(heads);
        } finally {
            lock.unlock();
        }
    }

    public long blockCount() {
        lock.lock();
        try {
            return digest.digest().count();
        } finally {
            lock.unlock();
        }
    }

    private List<OrderKey> newestHeads() {
        List<OrderKey> all = new ArrayList<>(heads);
        int max = settings.limits().maxParents();
        // More concurrent heads than one block may name: follow the newest; the rest join with a later block.
        return all.size() <= max ? all : all.subList(all.size() - max, all.size());
    }

    private StoredBlock store(Block block, Collection<OrderKey> parentKeys) {
        long parentOrderTs = parentKeys.stream().mapToLong(OrderKey::orderTs).max().orElse(0L);
        OrderKey key = OrderKey.of(block, parentOrderTs);
        SetDigest next = digest.digest().plus(block.hash());
        SealedDigest after = new SealedDigest(next, seal.compute(next));
        try {
            transaction.begin();
            repository.append(block, key, seal.compute(block.hash(), block.signature(), key.orderTs()), after);
            transaction.commit();
        } catch (Exception e) {
            rollback();
            throw new StorageException("[DB] Could not store block " + block.hash() + ": " + e, e);
        }
        digest = after;
        heads.removeAll(parentKeys);
        heads.add(key);
        return new StoredBlock(block, key);
    }

    private void rollback() {
        try {
            transaction.rollback();
        } catch (Exception e) {
            LOG.log(Level.FINE, "[DB] Rollback after a failed append", e);
        }
    }

    private static Map<String, Long> heights(Map<String, OrderKey> parents) {
        Map<String, Long> heights = new HashMap<>();
        parents.forEach((hash, key) -> heights.put(hash, key.height()));
        return heights;
    }
}
