package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.ledger.RecentHashes;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.ShowRule;
import net.ledgerchat.store.StoredBlock;

/**
 * The commit half of the writer: stores the chain's ready slots strictly in the order their places were
 * fixed, as many as are ready in one transaction (group commit), and tells the listener what was stored.
 * <p>
 * One thread at a time leads: the owner of a ready slot who finds the commit lock free commits groups until its
 * own slot is stored, then wakes the owner of the slot now at the front, if that one is ready, to lead next. An
 * owner who finds the lock taken parks until its slot is stored or it is woken to lead. (When every owner queued
 * for the lock, each one, its slot long stored by another, still took the lock in turn to find nothing to do:
 * under 16 senders twelve threads waited in that line, the groups stayed at two blocks, and a third of a core
 * stood idle.) Lock order: the commit lock, then the writer's chain lock; never the other way round.
 */
final class Committer {
    private static final Logger LOG = Logger.getLogger(Committer.class.getName());
    /** Bounds one transaction; a burst larger than this commits in several. */
    private static final int MAX_GROUP = 1_000;
    /** How long a leader whose own block is stored goes on committing others' before it hands over. */
    private static final long LINGER_NANOS = 2_000_000;

    /** Where groups are stored: the database, through {@link GroupCommit}; a stand-in in CommitterTest. */
    interface Store {
        GroupCommit.Opened open();

        /** Stores {@code group} after {@code before} in one transaction; returns the state after it. */
        LedgerState commit(LedgerState before, List<Slot> group) throws StorageException;

        /** Every stored membership block, parents first: the membership is rebuilt from them. */
        List<LedgerRepository.MembershipRow> membershipBlocks();

        /** Sets again how every stored message of {@code authors} is shown, by {@code rule}. */
        void reshow(Set<String> authors, ShowRule rule) throws StorageException;
    }

    /** Told of every committed group, on the committing thread, before its senders wake. */
    interface Listener {
        void stored(List<StoredBlock> added);

        void restored(StoredBlock restored);
    }

    private final ReentrantLock commitLock = new ReentrantLock();
    private final ReentrantLock chainLock;
    private final Chain chain;
    private final Store groupCommit;
    private final Listener listener;
    /** Rebuilds the membership from what is stored; answers every key it is about. */
    private final MembershipFollowUp membership;
    /** Hashes of the blocks committed lately; forgotten whenever a repair may have removed some. */
    private final RecentHashes committedLately = new RecentHashes(16_384);
    /** What the database holds: replaced, never changed, under the commit lock. */
    private volatile LedgerState committed;
    /** Heads the last seal names that were missing when the ledger was (re)opened. */
    private volatile List<String> lostHeads = List.of();

    /**
     * @param rebuild rebuilds the membership from what is stored, under the chain lock
     * @param reshow told, under the commit lock, of the keys whose membership stored blocks changed
     */
    Committer(Chain chain, ReentrantLock chainLock, Store groupCommit, Listener listener, Supplier<Set<String>> rebuild,
              java.util.function.Consumer<Set<String>> reshow) {
        this.chain = chain;
        this.chainLock = chainLock;
        this.groupCommit = groupCommit;
        this.listener = listener;
        this.membership = new MembershipFollowUp(chain, chainLock, rebuild, reshow);
    }

    /**
     * Commits what is placed, then re-reads heads, digest and membership from the database (at start, after a
     * repair).
     */
    void reopen() {
        commitLock.lock();
        try {
            chainLock.lock();
            try {
                // Signing needs neither lock: the senders already holding a place finish, and are committed first.
                while (!chain.allReady()) {
                    Thread.onSpinWait();
                }
                commitReadyLocked(null);
                committedLately.clear();
                GroupCommit.Opened opened = groupCommit.open();
                lostHeads = opened.lostHeads();
                committed = opened.state();
                chain.resetTips(committed.heads());
                membership.rebuildLocked();
                // Before any peer can send one as if it were new, which would count it in the digest twice.
                chain.wantOnly(lostHeads);
            } finally {
                chainLock.unlock();
            }
        } finally {
            commitLock.unlock();
        }
        handOver();
    }

    LedgerState committed() {
        return committed;
    }

    List<String> lostHeads() {
        return lostHeads;
    }

    boolean committedLately(String hash) {
        return committedLately.contains(hash);
    }

    /** A repair is about to want blocks back: none of them may pass for a duplicate of a recent commit. */
    void forgetRecent() {
        committedLately.clear();
    }

    /** Runs {@code step} while no group commits. */
    <T> T paused(Supplier<T> step) {
        commitLock.lock();
        try {
            return step.get();
        } finally {
            commitLock.unlock();
            // Owners whose slots became ready meanwhile found the lock taken and are parked.
            handOver();
        }
    }

    /**
     * Returns {@code slot} once stored, leading the commits whenever the lock is free; the storage failure if
     * its group was given up. Called by the slot's owner, once it is signed (or given up).
     */
    StoredBlock awaitStored(Slot slot) {
        boolean interrupted = false;
        lead(slot);
        while (!slot.done.isDone()) {
            LockSupport.park(this);
            // Like the join this replaces, a wait for the commit is not cut short: the block is placed.
            interrupted |= Thread.interrupted();
            lead(slot);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return stored(slot);
    }

    /** Commits ready groups until {@code mine} is stored, unless another thread leads; then hands over. */
    private void lead(Slot mine) {
        if (mine.done.isDone() || !commitLock.tryLock()) {
            return;
        }
        try {
            commitReadyLocked(mine);
        } finally {
            commitLock.unlock();
        }
        handOver();
    }

    /**
     * Wakes the owner of the slot at the front of the queue if it is ready: with the lock taken it parked, and
     * nobody else would commit it. An owner not parked yet finds the lock free by itself.
     */
    private void handOver() {
        Slot front;
        chainLock.lock();
        try {
            front = chain.readyFront();
        } finally {
            chainLock.unlock();
        }
        if (front != null) {
            LockSupport.unpark(front.owner);
        }
    }

    /**
     * Commits ready groups from the front of the queue until {@code mine} is stored and {@link #LINGER_NANOS} have
     * passed since (null: until none is ready). A woken owner must first get a core, which on a busy machine takes
     * longer than a commit: a leader that lingers commits what became ready meanwhile without that wait.
     */
    private void commitReadyLocked(Slot mine) {
        long lingerUntil = 0;
        while (true) {
            if (mine != null && mine.done.isDone()) {
                long now = System.nanoTime();
                if (lingerUntil == 0) {
                    lingerUntil = now + LINGER_NANOS;
                } else if (now - lingerUntil >= 0) {
                    return;
                }
            }
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
                listener.restored(stored);
            } else {
                added.add(stored);
            }
        }
        membership.after(group);
        try {
            // Before the senders wake: peers hear of a block as early as it is committed.
            if (!added.isEmpty()) {
                listener.stored(added);
            }
        } finally {
            group.forEach(Slot::markStored);
        }
        return true;
    }

    /** Gives up {@code failed} and every slot still queued (they may descend from it). */
    void abandon(StorageException cause, List<Slot> failed) {
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
        lost.forEach(slot -> slot.givenUp(cause));
    }

    private static StoredBlock stored(Slot slot) {
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
