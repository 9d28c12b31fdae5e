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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.membership.Membership;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.store.StoredBlock;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The node's one {@link Writer}, over the database: its groups are committed by {@link GroupCommit} in the
 * container's transactions, and every committed group is announced as a {@link BlocksStored} event (which the
 * peer links forward) and every restored block as a {@link BlockRestored}. Everything else is the writer's.
 */
@Singleton
@DependsOn("LedgerFormatCheck")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());

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
    @Inject
    private MetricRegistry metrics;
    @Resource
    private ManagedThreadFactory threadFactory;

    /** The verifier's own threads: a task handed to the managed executor captured its context each time. */
    private ExecutorService verifyThreads;
    private volatile Writer writer;
    private volatile GroupStart start;
    private int verifyThreadCount;
    private volatile String joinRefusal;

    @PostConstruct
    void open() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger made = new AtomicInteger();
        verifyThreads = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName("ledger-verify-" + made.incrementAndGet());
            return thread;
        });
        verifyThreadCount = threads;
        start = GroupStart.decide(repository.genesis(), settings.invite(), settings.joiningFile(),
                new BlockFactory(identity), settings.groupName(), settings.clientName(), Clock.systemUTC());
        writer = openWriter(start.groupId());
        if (start.founding().isPresent()) {
            try {
                writer.accept(start.founding().get());
            } catch (BlockRejectedException e) {
                throw new IllegalStateException("[Members] This node's own genesis was refused: " + e.getMessage(), e);
            }
            LOG.info(() -> "[Members] Founded the group '" + settings.groupName() + "': " + start.groupId());
        }
        start.joining().ifPresent(code -> LOG.info(() -> "[Members] Joining group " + code.groupId()
                + " with an invite; no history arrives before a member admits this node"));
        LOG.info(() -> "[DB] Ledger opened: " + writer.blockCount() + " blocks, " + writer.heads().size() + " head(s)");
    }

    private Writer openWriter(String groupId) {
        return new Writer(groupId, settings.limits(), identity, Clock.systemUTC(),
                new GroupCommit(repository, transaction, identity.seal(), settings.limits().maxParents(), metrics),
                Committed.of(repository::contains, repository::placesOf, repository::isParent,
                        hash -> repository.ancestryLinks(hash).orElse(null)),
                new Committer.Listener() {
                    @Override
                    public void stored(List<StoredBlock> added) {
                        if (added.get(0).block().isGenesis() && start.joining().isPresent()) {
                            GroupStart.deleteJoining(settings.joiningFile());
                        }
                        // One event per transaction: observers are container beans, each call a proxy invocation.
                        events.fire(new BlocksStored(added));
                    }

                    @Override
                    public void restored(StoredBlock restored) {
                        restoredEvents.fire(new BlockRestored(restored));
                    }
                }, verifyThreads, verifyThreadCount);
    }

    /**
     * Whether this node may still join another group instead of its own: it holds nothing, or nothing but the genesis
     * it founded its own group with.
     */
    public boolean joinable() {
        long blocks = writer.blockCount();
        return blocks == 0 || blocks == 1 && repository.genesis().map(g -> g.author().equals(identity.publicKey())).orElse(false);
    }

    /**
     * Leaves the group this node founded, which holds nothing but its genesis, to join the group of {@code code}
     * (the page's "join a group" form): the tables are emptied and the node joins as one started with INVITE does.
     */
    public synchronized void joinInstead(InviteCode code) throws RequestRefusedException {
        if (!joinable()) {
            throw new RequestRefusedException("this node already holds its group's history: to join another group,"
                    + " start a node with a new DATA_DIR and the invite");
        }
        writer.withCommitsPaused(() -> {
            try {
                transaction.begin();
                repository.forgetEverything();
                transaction.commit();
                return null;
            } catch (Exception e) {
                throw new StorageException("[DB] Could not empty the ledger to join another group: " + e, e);
            }
        });
        start = GroupStart.joiningInstead(settings.joiningFile(), code);
        joinRefusal = null;
        writer = openWriter(code.groupId());
        LOG.info(() -> "[Members] Left the group this node had founded (it held only its first block) to join group "
                + code.groupId() + " with an invite");
    }

    @PreDestroy
    void close() {
        verifyThreads.shutdownNow();
    }

    // The node's beans call the writer through this EJB, as they always have: each call runs in the EJB's
    // invocation context (its UserTransaction, its resources), which the writer's commits rely on.

    public void reload() {
        writer.reload();
    }

    public StoredBlock send(String text, String sendKey) throws BlockRejectedException {
        return writer.send(text, sendKey);
    }

    public StoredBlock write(Body body) throws BlockRejectedException {
        return writer.write(body);
    }

    public net.ledgerchat.store.Shown shownOf(Block message, List<String> context) {
        return writer.shownOf(message, context);
    }

    public boolean isMember(String key) {
        return writer.isMember(key);
    }

    public StoredBlock admit(String joiner, String name, String invite, String proof) throws BlockRejectedException {
        return writer.admit(joiner, name, invite, proof);
    }

    /** How many stored messages of each author do not count, by author key. */
    public java.util.Map<String, Long> hiddenMessagesByAuthor() {
        return repository.hiddenMessagesByAuthor();
    }

    /** Why a member last refused this node's invite, while it is still joining. */
    public Optional<String> joinRefusal() {
        return joining().isPresent() ? Optional.ofNullable(joinRefusal) : Optional.empty();
    }

    public void joinRefused(String refusal) {
        joinRefusal = refusal;
    }

    public String groupId() {
        return writer.groupId();
    }

    /** The invite this node joins with while it holds no block of its group yet; empty once it has the genesis. */
    public Optional<InviteCode> joining() {
        return writer.blockCount() == 0 ? start.joining() : Optional.empty();
    }

    public <T> T readMembership(java.util.function.Function<Membership, T> reading) {
        return writer.readMembership(reading);
    }

    public AcceptOutcome accept(Block block) throws BlockRejectedException {
        return writer.accept(block);
    }

    public Writer.Offer offer(Block block) throws BlockRejectedException {
        return writer.offer(block);
    }

    public Writer.Offer offerAll(List<Block> blocks) throws BlockRejectedException {
        return writer.offerAll(blocks);
    }

    public Writer.Verifying verifyAhead(List<Block> blocks) {
        return writer.verifyAhead(blocks);
    }

    public Writer.Offer offerVerified(Writer.Verifying batch) throws BlockRejectedException {
        return writer.offerVerified(batch);
    }

    public Set<String> missingParents() {
        return writer.missingParents();
    }

    public void want(Collection<String> hashes) {
        writer.want(hashes);
    }

    public Set<String> wanted() {
        return writer.wanted();
    }

    public <T> T withCommitsPaused(Supplier<T> step) {
        return writer.withCommitsPaused(step);
    }

    public SealedDigest sealedDigest() {
        return writer.sealedDigest();
    }

    public List<String> lostHeads() {
        return writer.lostHeads();
    }

    public List<OrderKey> heads() {
        return writer.heads();
    }

    public long blockCount() {
        return writer.blockCount();
    }
}
