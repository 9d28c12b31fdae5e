package net.ledgerchat.chat;

import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.ShowRule;
import net.ledgerchat.store.Shown;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The writer's side of the database: reading the sealed state at start-up and storing a group of
 * slots in one transaction with the digest and heads after them. Used only under the writer's
 * commit lock (a {@link Seal} is not thread-safe).
 */
final class GroupCommit implements Committer.Store {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private final LedgerRepository repository;
    private final UserTransaction transaction;
    private final Seal seal;
    private final int maxParents;
    /** How many blocks each transaction stored: the group commit at work (under load, sends share commits). */
    private final Histogram groupSizes;
    private final Timer commitTime;

    GroupCommit(LedgerRepository repository, UserTransaction transaction, Seal seal, int maxParents, MetricRegistry metrics) {
        this.repository = repository;
        this.transaction = transaction;
        this.seal = seal;
        this.maxParents = maxParents;
        this.groupSizes = metrics.histogram(Metadata.builder().withName("ledger.commit.blocks")
                .withDescription("Blocks stored per ledger transaction (group commit)").build());
        this.commitTime = metrics.timer(Metadata.builder().withName("ledger.commit.time")
                .withDescription("Time to store one group of blocks, the database commit included")
                .withUnit(MetricUnits.NANOSECONDS).build());
    }

    /** The state at start-up, and the sealed heads that are gone from the database (to restore). */
    record Opened(LedgerState state, List<String> lostHeads) {
    }

    @Override
    public Opened open() {
        SealedDigest digest = repository.digest()
                .orElseGet(() -> new SealedDigest(SetDigest.EMPTY, seal.compute(SetDigest.EMPTY)));
        Optional<LedgerRepository.TrustedHeads> sealed = repository.sealedHeads(
                (count, h) -> count == digest.digest().count() && seal.matches(h.seal(), count, h.heads()));
        List<OrderKey> heads;
        if (sealed.isPresent() && sealed.get().absent().isEmpty()) {
            heads = sealed.get().stored();
        } else {
            LOG.info("[DB] Finding the ledger's heads (no complete sealed head set to trust)");
            heads = repository.heads();
        }
        List<String> lost = sealed.map(LedgerRepository.TrustedHeads::absent).orElse(List.of());
        if (!lost.isEmpty()) {
            LOG.warning(() -> "[Blockchain] " + lost.size() + " sealed head block(s) are gone from the database: " + lost);
        }
        return new Opened(new LedgerState(List.copyOf(new TreeSet<>(heads)), digest), lost);
    }

    /**
     * Stores {@code group} after {@code before}; returns the state after it. A restored block is already
     * in the digest, and is a head only if nothing stored names it.
     */
    @Override
    public LedgerState commit(LedgerState before, List<Slot> group) throws StorageException {
        LedgerState.Advanced advanced = before.advancedBy(group);
        List<OrderKey> heads = advanced.heads();
        SetDigest digest = advanced.digest();
        List<LedgerRepository.Append> appends = new ArrayList<>(group.size());
        for (Slot slot : group) {
            Block block = slot.block();
            Shown shown = slot.shown();
            appends.add(new LedgerRepository.Append(block, slot.key,
                    seal.compute(block.hash(), block.signature(), slot.key.orderTs(), slot.context()), slot.context(), shown,
                    shown == null ? null : seal.shown(block.hash(), shown.counts(), shown.name()), slot.sendKey()));
        }
        SealedDigest after = new SealedDigest(digest, seal.compute(digest));
        List<String> headHashes = heads.stream().map(OrderKey::hash).sorted().toList();
        LedgerRepository.SealedHeads sealedHeads = headHashes.size() > maxParents ? null
                : new LedgerRepository.SealedHeads(headHashes, seal.compute(digest.count(), headHashes));
        long started = System.nanoTime();
        try {
            transaction.begin();
            repository.append(appends, after, sealedHeads);
            transaction.commit();
            commitTime.update(Duration.ofNanos(System.nanoTime() - started));
            groupSizes.update(group.size());
        } catch (Exception e) {
            rollback();
            throw new StorageException("[DB] Could not store " + group.size() + " block(s) from "
                    + group.get(0).key.hash() + ": " + e, e);
        }
        return new LedgerState(heads, after);
    }

    @Override
    public List<LedgerRepository.MembershipRow> membershipBlocks() {
        return repository.membershipBlocks();
    }

    @Override
    public void reshow(Set<String> authors, ShowRule rule) throws StorageException {
        try {
            transaction.begin();
            int changed = 0;
            for (String author : authors) {
                for (LedgerRepository.MessageOf message : repository.messagesBy(author)) {
                    Shown shown = rule.shownOf(message.block(), message.context());
                    if (repository.show(message.key(), shown, seal.shown(message.block().hash(), shown.counts(), shown.name()))) {
                        changed++;
                    }
                }
            }
            transaction.commit();
            if (changed > 0) {
                int shown = changed;
                LOG.info(() -> "[Members] " + shown + " message(s) shown differently after a membership change");
            }
        } catch (Exception e) {
            rollback();
            throw new StorageException("[DB] Could not show again the messages of " + authors.size() + " member(s): " + e, e);
        }
    }

    private void rollback() {
        try {
            transaction.rollback();
        } catch (Exception e) {
            LOG.log(Level.FINE, "[DB] Rollback after a failed append", e);
        }
    }
}
