package net.ledgerchat.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
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
import net.ledgerchat.ledger.RecentHashes;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.store.StoredBlock;

/**
 * The one writer of the ledger. A block's place in the chain (its parents) is fixed under a short
 * chain lock, so two sends at the same instant chain one after the other instead of forking; the
 * Ed25519 signature, the slow part, is made after that lock is released, on the sender's own
 * thread; blocks are then committed strictly in the order their places were fixed, as many as are
 * ready in one transaction (group commit). Expensive checks of blocks from elsewhere run before
 * any lock. Lock order: the commit lock, then the chain lock; never the other way round.
 */
@Singleton
@DependsOn("StoreUpgrade")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());
    private static final int PENDING_CAPACITY = 10_000;
    /** Bounds one transaction; a burst larger than this commits in several. */
    private static final int MAX_GROUP = 1_000;

    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    @Inject
    private LedgerRepository repository;
    @Inject
    private Event<BlocksStored> events;
    @Inject
    private Event<BlockRestored> restoredEvents;
    @Resource
    private UserTransaction transaction;
    @Resource
    private ManagedThreadFactory threadFactory;

    private final ReentrantLock chainLock = new ReentrantLock();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Clock clock = Clock.systemUTC();
    private BlockVerifier verifier;
    /** The verifier's own threads: a task handed to the managed executor captured its context each time. */
    private ExecutorService verifyThreads;
    private BatchVerifier batchVerifier;
    private BlockFactory factory;
    /** Used only under the commit lock. */
    private GroupCommit groupCommit;
    private Chain chain;
    /** The database as the chain sees it; read under the chain lock. */
    private Chain.Committed stored;
    /** What the database holds: replaced, never changed, under the commit lock. */
    private volatile LedgerState committed;
    /** Hashes of the blocks committed lately; forgotten whenever a repair may have removed some. */
    private final RecentHashes committedLately = new RecentHashes(16_384);
    /** Heads the last seal names that were missing at start-up: validation reports them, repair wants them. */
    private volatile List<String> lostHeads = List.of();

    @PostConstruct
    void open() {
        verifier = new BlockVerifier(settings.groupId(), settings.limits(), clock);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger made = new AtomicInteger();
        verifyThreads = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName("ledger-verify-" + made.incrementAndGet());
            return thread;
        });
        batchVerifier = new BatchVerifier(verifier, verifyThreads, threads);
        factory = new BlockFactory(settings.groupId(), identity);
        groupCommit = new GroupCommit(repository, transaction, identity.seal(), settings.limits().maxParents());
        chain = new Chain(List.of(), new PendingPool(PENDING_CAPACITY), settings.limits().maxParents());
        stored = Chain.Committed.of(repository::contains, repository::keysOf, repository::isParent);
        reload();
        LOG.info(() -> "[DB] Ledger opened: " + blockCount() + " blocks, " + committed.heads().size() + " head(s)");
    }

    @PreDestroy
    void close() {
        verifyThreads.shutdownNow();
    }

    /** Re-reads heads and digest from the database, e.g. after the ledger was repaired. */
    public void reload() {
        commitLock.lock();
        try {
            chainLock.lock();
            try {
                // Signing needs neither lock: the senders already holding a place finish, and are committed first.
                while (!chain.allReady()) {
                    Thread.onSpinWait();
                }
                commitReadyLocked();
                committedLately.clear();
                GroupCommit.Opened opened = groupCommit.open();
                lostHeads = opened.lostHeads();
                committed = opened.state();
                chain.resetTips(committed.heads());
                // Before any peer can send one as if it were new, which would count it in the digest twice.
                chain.wantOnly(lostHeads);
            } finally {
                chainLock.unlock();
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** Appends this node's message after every current head; returns once it is committed. */
    public StoredBlock send(String sender, String text) throws BlockRejectedException {
        Chain.Placed placed;
        chainLock.lock();
        try {
            placed = chain.place(factory, verifier, sender, Instant.ofEpochMilli(clock.millis()), text);
        } finally {
            chainLock.unlock();
        }
        try {
            placed.slot().signed(placed.draft().sign());
        } catch (RuntimeException e) {
            abandon(new StorageException("[Blockchain] Could not sign block " + placed.draft().hash() + ": " + e, e),
                    List.of());
        }
        commitReady();
        return await(placed.slot());
    }

    /** Verifies and stores a block from elsewhere; blocks waiting on it are stored too. Idempotent. */
    public AcceptOutcome accept(Block block) throws BlockRejectedException {
        return offer(block).outcome();
    }

    /**
     * How a block (or a batch) from elsewhere went, with the blocks it stored (it and the waiting ones
     * it completed, parents first); a batch is PENDING if any of its blocks waits.
     */
    public record Offer(AcceptOutcome outcome, List<StoredBlock> stored) {
        public Offer {
            stored = List.copyOf(stored);
        }
    }

    /** {@link #accept}, telling which blocks were stored: a peer link forwards those. */
    public Offer offer(Block block) throws BlockRejectedException {
        // Gossip brings most blocks more than once (one copy per link): a copy of one committed lately is
        // a duplicate without its Ed25519 check.
        if (verifier.verifyUnlessHeld(block, committedLately::contains)) {
            return new Offer(AcceptOutcome.DUPLICATE, List.of());
        }
        Chain.Offered offered;
        chainLock.lock();
        try {
            offered = chain.offer(block, verifier, stored);
        } finally {
            chainLock.unlock();
        }
        if (offered.outcome() == AcceptOutcome.PENDING) {
            LOG.fine(() -> "[Blockchain] Block " + block.hash() + " waits for its parents");
        }
        List<StoredBlock> done = new ArrayList<>();
        if (!offered.reserved().isEmpty()) {
            commitReady();
            offered.reserved().forEach(slot -> done.add(await(slot)));
        }
        return new Offer(offered.outcome(), done);
    }

    /**
     * {@link #offer} for a batch from a peer's sync answer: signatures are checked in parallel before
     * any lock, and the batch is committed in as few transactions as group commit allows. A refused
     * block stops the batch; the blocks placed before it are still stored, then the refusal is thrown.
     */
    public Offer offerAll(List<Block> blocks) throws BlockRejectedException {
        batchVerifier.verifyAll(blocks);
        return placeAll(blocks);
    }

    /** A sync batch checked on the verifier threads while the caller stores the one before it. */
    public static final class Verifying {
        private final BatchVerifier.Checked checked;

        private Verifying(BatchVerifier.Checked checked) {
            this.checked = checked;
        }

        public List<Block> blocks() {
            return checked.blocks();
        }
    }

    /** Starts checking a sync batch; {@link #offerVerified} stores it. */
    public Verifying verifyAhead(List<Block> blocks) {
        return new Verifying(batchVerifier.verifyAhead(blocks));
    }

    /** {@link #offerAll} for a batch whose checks {@link #verifyAhead} started: waits for them, then stores. */
    public Offer offerVerified(Verifying batch) throws BlockRejectedException {
        batch.checked.await();
        return placeAll(batch.blocks());
    }

    private Offer placeAll(List<Block> blocks) throws BlockRejectedException {
        List<Slot> reserved = new ArrayList<>();
        boolean waiting = false;
        BlockRejectedException refused = null;
        chainLock.lock();
        try {
            Set<String> asked = new HashSet<>();
            for (Block block : blocks) {
                asked.add(block.hash());
                asked.addAll(block.parents());
            }
            Chain.Committed batch = stored.readAhead(asked, stored.keysOf(asked));
            for (Block block : blocks) {
                Chain.Offered offered = chain.offer(block, verifier, batch);
                reserved.addAll(offered.reserved());
                waiting |= offered.outcome() == AcceptOutcome.PENDING;
            }
        } catch (BlockRejectedException e) {
            refused = e;
        } finally {
            chainLock.unlock();
        }
        List<StoredBlock> done = new ArrayList<>();
        if (!reserved.isEmpty()) {
            commitReady();
            reserved.forEach(slot -> done.add(await(slot)));
        }
        if (refused != null) {
            throw refused;
        }
        return new Offer(waiting ? AcceptOutcome.PENDING : done.isEmpty() ? AcceptOutcome.DUPLICATE : AcceptOutcome.STORED,
                done);
    }

    /** Parent hashes that blocks in the pending pool wait for: what to ask peers for. */
    public Set<String> missingParents() {
        chainLock.lock();
        try {
            return chain.pending().missingParents();
        } finally {
            chainLock.unlock();
        }
    }

    /**
     * Blocks to put back when a peer sends them (replacing the previous list): a repair removed them as
     * damaged, or found them deleted. They are already counted in the sealed digest, so they are
     * restored, not added.
     */
    public void want(Collection<String> hashes) {
        chainLock.lock();
        try {
            committedLately.clear();
            chain.wantOnly(hashes);
        } finally {
            chainLock.unlock();
        }
    }

    /** What {@link #want} asked for and no peer has sent yet. */
    public Set<String> wanted() {
        chainLock.lock();
        try {
            return chain.wanted();
        } finally {
            chainLock.unlock();
        }
    }

    /** Runs a repair step while no group commits, so a repair and a commit never touch the same rows. */
    public <T> T withCommitsPaused(Supplier<T> step) {
        commitLock.lock();
        try {
            return step.get();
        } finally {
            commitLock.unlock();
        }
    }

    /** The digest of what is committed, with the seal this node gave it. */
    public SealedDigest sealedDigest() {
        return committed.digest();
    }

    /** Sealed heads that were already deleted when the ledger was opened. */
    public List<String> lostHeads() {
        return lostHeads;
    }

    /** The heads of what is committed. */
    public List<OrderKey> heads() {
        return committed.heads();
    }

    public long blockCount() {
        return committed.digest().digest().count();
    }

    private void commitReady() {
        commitLock.lock();
        try {
            commitReadyLocked();
        } finally {
            commitLock.unlock();
        }
    }

    /** Commits every ready slot at the front of the queue; the caller holds the commit lock. */
    private void commitReadyLocked() {
        while (true) {
            List<Slot> group;
            chainLock.lock();
            try {
                group = chain.takeReadyPrefix(MAX_GROUP);
            } finally {
                chainLock.unlock();
            }
            if (group.isEmpty() || !commitGroup(group)) {
                return;
            }
        }
    }

    private boolean commitGroup(List<Slot> group) {
        try {
            committed = groupCommit.commit(committed, group);
        } catch (StorageException e) {
            abandon(e, group);
            return false;
        }
        chainLock.lock();
        try {
            chain.committed(group);
        } finally {
            chainLock.unlock();
        }
        List<StoredBlock> added = new ArrayList<>(group.size());
        for (Slot slot : group) {
            StoredBlock stored = slot.stored();
            committedLately.add(stored.block().hash());
            if (slot.kind == Slot.Kind.RESTORED) {
                LOG.info(() -> "[Repair] Restored block " + stored.block().hash() + " from a peer");
                restoredEvents.fire(new BlockRestored(stored));
            } else {
                added.add(stored);
            }
        }
        try {
            // One event per transaction (observers are container beans, each call a proxy invocation), and
            // before the senders wake: peers hear of a block as early as it is committed.
            if (!added.isEmpty()) {
                events.fire(new BlocksStored(added));
            }
        } finally {
            group.forEach(slot -> slot.done.complete(slot.stored()));
        }
        return true;
    }

    /** Gives up {@code failed} and every slot still queued (they may descend from it). */
    private void abandon(StorageException cause, List<Slot> failed) {
        List<Slot> lost = new ArrayList<>(failed);
        commitLock.lock();
        try {
            chainLock.lock();
            try {
                lost.addAll(chain.abandon(committed.heads()));
            } finally {
                chainLock.unlock();
            }
        } finally {
            commitLock.unlock();
        }
        LOG.log(Level.SEVERE, cause.getMessage() + " (" + lost.size() + " block(s) not stored)", cause);
        lost.forEach(slot -> slot.done.completeExceptionally(cause));
    }

    private static StoredBlock await(Slot slot) {
        try {
            return slot.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("[DB] Block " + slot.key.hash() + " was not stored: " + e.getCause(), e.getCause());
        }
    }
}
