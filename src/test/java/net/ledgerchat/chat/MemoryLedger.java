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
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.peer.BlockIndex;
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
    private volatile Consumer<List<Block>> onStored = blocks -> { };
    private Writer writer;

    public MemoryLedger(NodeIdentity identity, String groupId, Clock clock) {
        this.identity = identity;
        this.groupId = groupId;
        this.clock = clock;
        restart();
    }

    /** Where committed groups are announced (the simulated node's links); nowhere until set. */
    public void onStored(Consumer<List<Block>> listener) {
        onStored = listener;
    }

    /** A crash and restart: committed blocks stay, everything in memory is rebuilt. */
    public void restart() {
        writer = new Writer(groupId, Limits.DEFAULT, identity, clock, store, store, new Committer.Listener() {
            @Override
            public void stored(List<StoredBlock> added) {
                onStored.accept(added.stream().map(StoredBlock::block).toList());
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

    public Block send(String sender, String text, Instant at) throws BlockRejectedException {
        return writer.send(sender, text, null, at).block();
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

    /** The message list as the page shows it: hashes in ledger order. */
    public List<String> ordered() {
        return store.ordered.values().stream().map(Block::hash).toList();
    }

    public boolean holds(String hash) {
        return store.blocks.containsKey(hash);
    }

    public String key() {
        return identity.publicKey();
    }
}
