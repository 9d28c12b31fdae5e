package net.ledgerchat.chat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.membership.Membership;
import net.ledgerchat.store.Shown;
import net.ledgerchat.store.StoredBlock;

/**
 * The one writer of the ledger, in plain Java: the node runs it inside {@link LedgerWriter} over the database,
 * the network simulation over memory, so both store blocks by the same code. A block's place in the chain (its
 * parents) is fixed under a short chain lock, so two sends at the same instant chain one after the other instead
 * of forking; the Ed25519 signature, the slow part, is made after that lock is released, on the sender's own
 * thread; the {@link Committer} then stores blocks strictly in the order their places were fixed, as many as are
 * ready in one transaction (group commit), and tells the listener. Expensive checks of blocks from elsewhere run
 * before any lock. Lock order: the commit lock, then the chain lock; never the other way round.
 */
public final class Writer {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    private static final int PENDING_CAPACITY = 10_000;

    private final ReentrantLock chainLock = new ReentrantLock();
    private final Clock clock;
    private final BlockVerifier verifier;
    private final BatchVerifier batchVerifier;
    private final BlockFactory factory;
    private final Committer committer;
    private final Chain chain;
    /** The database as the chain sees it; read under the chain lock. */
    private final Committed stored;
    private final Committer.Store store;
    private final SecureRandom random = new SecureRandom();
    private final Admissions admissions = new Admissions(this);

    /**
     * @param store where groups are committed
     * @param stored what is committed, as the chain reads it
     * @param listener told of every committed group, on the committing thread
     * @param verifyThreads the threads that check sync batches beside the caller's own ({@code threads} of them)
     */
    Writer(String groupId, Limits limits, NodeIdentity identity, Clock clock, Committer.Store store,
           Committed stored, Committer.Listener listener, ExecutorService verifyThreads, int threads) {
        this.clock = clock;
        this.verifier = new BlockVerifier(groupId, limits, clock);
        this.batchVerifier = new BatchVerifier(verifier, verifyThreads, threads);
        this.factory = new BlockFactory(identity);
        this.chain = new Chain(List.of(), new PendingPool(PENDING_CAPACITY), limits.maxParents(),
                new MembershipGate(groupId));
        this.stored = stored;
        this.store = store;
        this.committer = new Committer(chain, chainLock, store, listener,
                () -> chain.gate().rebuild(store.membershipBlocks()), this::reshow);
        reload();
    }

    /** Re-reads heads, digest and membership from the store, e.g. after the ledger was repaired. */
    public void reload() {
        committer.reopen();
    }

    public String groupId() {
        return verifier.groupId();
    }

    /**
     * Sets again how the messages of {@code authors} are shown, after membership blocks about them were stored:
     * a removal may void messages stored before it, on this node or anywhere.
     */
    private void reshow(Set<String> authors) {
        store.reshow(authors, this::shownOf);
    }

    /** How a stored message is shown now, by the membership as recorded. */
    public Shown shownOf(Block message, List<String> context) {
        chainLock.lock();
        try {
            return chain.shownOf(message, context, stored);
        } finally {
            chainLock.unlock();
        }
    }

    /** Reads the membership under the chain lock (it is not thread-safe). */
    public <T> T readMembership(Function<Membership, T> reading) {
        chainLock.lock();
        try {
            return reading.apply(chain.gate().membership());
        } finally {
            chainLock.unlock();
        }
    }

    /**
     * Appends this node's message after every current head; returns once it is committed. {@code sendKey}, the
     * send's idempotency key or null, is stored with the message row so that it outlasts a restart.
     */
    public StoredBlock send(String text, String sendKey) throws BlockRejectedException {
        return write(new Body.Message(salt(), text), sendKey, Instant.ofEpochMilli(clock.millis()));
    }

    /** Writes a membership block of this node's after every current head; returns once it is committed. */
    public StoredBlock write(Body body) throws BlockRejectedException {
        return write(body, null, Instant.ofEpochMilli(clock.millis()));
    }

    /** Whether {@code key} is a member now, by everything this node holds. */
    public boolean isMember(String key) {
        return readMembership(m -> m.isMember(key));
    }

    /** Admits a joiner who presents {@code invite}: see {@link Admissions}. */
    public StoredBlock admit(String joiner, String name, String invite, String proof) throws BlockRejectedException {
        return admissions.admit(joiner, name, invite, proof);
    }

    /** This node's clock, to the millisecond, as blocks are stamped. */
    Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** 16 random bytes: a message's digest must not confirm a guessed short text (DESIGN section 7). */
    String salt() {
        byte[] salt = new byte[Body.SALT_BYTES];
        random.nextBytes(salt);
        return Hex.encode(salt);
    }

    /** {@link #write(Body)} stamped {@code at}: the simulation's nodes run on its clock. */
    StoredBlock write(Body body, String sendKey, Instant at) throws BlockRejectedException {
        Chain.Placed placed;
        chainLock.lock();
        try {
            placed = chain.place(factory, verifier, at, body, stored);
        } finally {
            chainLock.unlock();
        }
        placed.slot().keyedBy(sendKey);
        try {
            placed.slot().signed(placed.draft().sign());
        } catch (RuntimeException e) {
            committer.abandon(new StorageException("[Blockchain] Could not sign block " + placed.draft().hash() + ": " + e, e),
                    List.of());
        }
        return committer.awaitStored(placed.slot());
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
        if (verifier.verifyUnlessHeld(block, committer::committedLately)) {
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
            offered.reserved().forEach(slot -> done.add(committer.awaitStored(slot)));
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
            Committed batch = stored.readAhead(asked, stored.placesOf(asked));
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
            reserved.forEach(slot -> done.add(committer.awaitStored(slot)));
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
            committer.forgetRecent();
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
        return committer.paused(step);
    }

    /** The digest of what is committed, with the seal this node gave it. */
    public SealedDigest sealedDigest() {
        return committer.committed().digest();
    }

    /** Sealed heads that were already deleted when the ledger was opened. */
    public List<String> lostHeads() {
        return committer.lostHeads();
    }

    /** The heads of what is committed. */
    public List<OrderKey> heads() {
        return committer.committed().heads();
    }

    public long blockCount() {
        return committer.committed().digest().digest().count();
    }
}
