package net.ledgerchat.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.peer.BlockIndex;
import net.ledgerchat.peer.Joining;
import net.ledgerchat.peer.LedgerPort;
import net.ledgerchat.peer.SyncPlanner;
import net.ledgerchat.store.StoredBlock;

/**
 * A node's ledger in memory for the network simulation and the link tests: the node's own {@link Writer} (chain,
 * pending pool, verifier, factory, committer, group commit) over a {@link MemoryStore} instead of the database,
 * and the node's sync planner. What is committed survives a crash; the pending pool, like the real node's, does
 * not. Every committed group is announced to the listener, as the node announces it to its peer links.
 */
public final class MemoryLedger implements LedgerPort {
    /**
     * Checks sync batches ahead, as the node's verifier threads do. The caller waits for every verdict before
     * anything is stored, so what a simulation does still follows from its seed alone.
     */
    private static final ExecutorService VERIFY_THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "memory-ledger-verify");
        thread.setDaemon(true);
        return thread;
    });

    private final NodeIdentity identity;
    private final String groupId;
    private final Clock clock;
    private final MemoryStore store = new MemoryStore();
    private volatile Consumer<List<StoredBlock>> onStored = blocks -> { };
    private Writer writer;
    /** The invite this node joins with, until it holds its group's genesis. */
    private final Optional<InviteCode> joining;
    private final Joining joinClaim;
    private volatile String joinRefusal;
    /** Salts drawn in order, so a simulation replays from its seed (the node draws them from SecureRandom). */
    private long salts;

    private MemoryLedger(NodeIdentity identity, String groupId, Clock clock, Optional<InviteCode> joining) {
        this.identity = identity;
        this.groupId = groupId;
        this.clock = clock;
        this.joining = joining;
        this.joinClaim = new Joining(() -> store.blocks.isEmpty()
                ? joining.map(code -> new JoinRequest(code.invite(), code.proofFor(identity.publicKey())))
                : Optional.empty());
        restart();
    }

    /** A node that founds a group at the clock's time, as a node started with no data and no invite does. */
    public static MemoryLedger founding(NodeIdentity identity, String groupName, Clock clock) {
        Block genesis = new BlockFactory(identity).found(groupName, "founder " + identity.publicKey().substring(0, 6),
                Instant.ofEpochMilli(clock.millis()));
        MemoryLedger ledger = new MemoryLedger(identity, genesis.hash(), clock, Optional.empty());
        try {
            ledger.accept(genesis);
        } catch (BlockRejectedException e) {
            throw new IllegalStateException("the founder's own genesis was refused", e);
        }
        return ledger;
    }

    /** A node that joins with {@code code}, as a node started with INVITE does. */
    public static MemoryLedger joining(NodeIdentity identity, InviteCode code, Clock clock) {
        return new MemoryLedger(identity, code.groupId(), clock, Optional.of(code));
    }

    /** A node of group {@code groupId} that holds nothing yet and joins by no invite (a stranger, or a test's peer). */
    public static MemoryLedger stranger(NodeIdentity identity, String groupId, Clock clock) {
        return new MemoryLedger(identity, groupId, clock, Optional.empty());
    }

    /** Where committed groups are announced (the simulated node's links); nowhere until set. */
    public void onStored(Consumer<List<StoredBlock>> listener) {
        onStored = listener;
    }

    /** A crash and restart: committed blocks stay, everything in memory is rebuilt. */
    public void restart() {
        writer = new Writer(groupId, Limits.DEFAULT, identity, clock, store, store, new Committer.Listener() {
            @Override
            public void stored(List<StoredBlock> added) {
                onStored.accept(added);
            }

            @Override
            public void restored(StoredBlock restored) {
                // The node does not forward a block a repair put back; neither does the simulation.
            }
        }, VERIFY_THREAD, 1);
        repair();
    }

    /** Committed blocks deleted behind the node's back (rows gone from its database). */
    public void lose(Collection<String> hashes) {
        store.lose(hashes);
    }

    /** What a validation and repair do (LedgerRepairer): want back every block some stored block names, and every lost head. */
    public Set<String> repair() {
        return writer.withCommitsPaused(() -> {
            Set<String> wanted = store.missing();
            writer.want(wanted);
            return wanted;
        });
    }

    public Block send(String text, Instant at) throws BlockRejectedException {
        return write(new Body.Message(nextSalt(), text), at);
    }

    /** Writes a block of this node's (a message, or a membership block) after every current head. */
    public Block write(Body body, Instant at) throws BlockRejectedException {
        return writer.write(body, null, at).block();
    }

    private String nextSalt() {
        byte[] salt = java.nio.ByteBuffer.allocate(Body.SALT_BYTES).putLong(++salts).putLong(identity.publicKey().hashCode())
                .array();
        return Hex.encode(salt);
    }

    public String groupId() {
        return groupId;
    }

    @Override
    public boolean isMember(String key) {
        return writer.isMember(key);
    }

    @Override
    public Optional<JoinRequest> claimJoin() {
        return joinClaim.claim();
    }

    @Override
    public void joinEnded(boolean admitted) {
        joinClaim.ended(admitted);
    }

    /**
     * Writes an invite and answers its code, as a member's page does; {@code secret} (32 bytes) is the invite key's
     * seed, drawn by the caller so that a simulation replays from its seed.
     */
    public InviteCode invite(Instant at, Instant expires, byte[] secret) throws BlockRejectedException {
        InviteKey key = InviteKey.fromSecret(secret);
        Block invite = write(new Body.Invite(key.publicKey(), expires), at);
        return new InviteCode(groupId, invite.hash(), List.of(new InviteCode.Contact("127.0.0.1", 1, identity.publicKey())),
                key.secret());
    }

    /** Invites and admits {@code joiner} at once, as this member does when the joiner presents the invite. */
    public Block admit(NodeIdentity joiner, String name, Instant at) throws BlockRejectedException {
        byte[] secret = new byte[InviteKey.SECRET_BYTES];
        new java.util.Random(joiner.publicKey().hashCode()).nextBytes(secret);
        InviteCode code = invite(at, at.plus(java.time.Duration.ofDays(1)), secret);
        return writer.admit(joiner.publicKey(), name, code.invite(), code.proofFor(joiner.publicKey())).block();
    }

    @Override
    public Block admit(String joiner, String name, String invite, String proof) throws BlockRejectedException {
        return writer.admit(joiner, name, invite, proof).block();
    }

    @Override
    public void joinRefused(String by, String reason) {
        joinRefusal = reason;
    }

    /** Why a member last refused this node's invite, or null. */
    public String joinRefusal() {
        return joinRefusal;
    }

    /** The members now, as this node's membership says. */
    public List<net.ledgerchat.membership.Member> members() {
        return writer.readMembership(m -> m.members());
    }

    /** This node's heads with their order keys: what a block written after them names. */
    public List<OrderKey> headKeys() {
        return writer.heads();
    }

    /** The messages the page shows (those that count), hashes in ledger order. */
    public List<String> shown() {
        return store.shownMessages().stream().map(Block::hash).toList();
    }

    @Override
    public Accepted accept(Block block) throws BlockRejectedException {
        return accepted(writer.offer(block));
    }

    @Override
    public Accepted acceptAll(List<Block> blocks) throws BlockRejectedException {
        return accepted(writer.offerAll(blocks));
    }

    private static Accepted accepted(Writer.Offer offer) {
        return new Accepted(offer.outcome() == AcceptOutcome.PENDING, offer.stored().stream().map(StoredBlock::block).toList());
    }

    @Override
    public List<String> heads() {
        return writer.heads().stream().map(OrderKey::hash).sorted().toList();
    }

    @Override
    public List<String> probes() {
        List<String> probes = new ArrayList<>();
        int position = 0;
        int next = 1;
        for (Block block : store.ordered.descendingMap().values()) {
            position++;
            if (position == next) {
                probes.add(block.hash());
                next *= 2;
            }
        }
        return probes;
    }

    @Override
    public List<String> missingFor(Collection<String> theirs) {
        SyncPlanner planner = new SyncPlanner(hash -> {
            Block block = store.blocks.get(hash);
            return block == null ? null : new BlockIndex.Entry(store.keys.get(hash), block.parents());
        });
        return planner.missing(heads(), theirs);
    }

    @Override
    public Optional<Block> block(String hash) {
        return Optional.ofNullable(store.blocks.get(hash));
    }

    @Override
    public Set<String> wantedBlocks() {
        return writer.wanted();
    }

    @Override
    public Set<String> wantedParents() {
        return writer.missingParents();
    }

    /** Every stored block, hashes in ledger order. */
    public List<String> ordered() {
        return store.ordered.values().stream().map(Block::hash).toList();
    }

    /** Whether {@code ancestor} is in {@code descendant}'s past, by the parent links this node holds. */
    public boolean isAncestor(String ancestor, String descendant) {
        return new net.ledgerchat.ledger.Ancestry(store::links).isAncestor(ancestor, descendant);
    }

    public String authorOf(String hash) {
        return store.blocks.get(hash).author();
    }

    public boolean isMembershipBlock(String hash) {
        Block block = store.blocks.get(hash);
        return block != null && block.kind().isMembership();
    }

    public boolean holds(String hash) {
        return store.blocks.containsKey(hash);
    }

    public String key() {
        return identity.publicKey();
    }
}
