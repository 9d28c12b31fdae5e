package net.ledgerchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.store.BlockPlace;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.store.ShowRule;
import net.ledgerchat.store.StoredBlock;
import org.junit.jupiter.api.Test;

/**
 * The writer's commit hand-over under concurrent senders, over many seeds: senders place, sign after random
 * pauses (so slots become ready out of order) and wait as LedgerWriter.send does. Every send must return, each
 * block must be stored exactly once and in the order its place was fixed, groups must form, and with a store that
 * fails now and then, exactly the sends reported stored must be stored (a failure gives up its group and every
 * slot queued behind it), and none may be stranded.
 */
class CommitterTest {
    private static final int SEEDS = 40;
    private static final int SENDERS = 8;
    private static final int SENDS_EACH = 40;
    private static final NodeIdentity NODE = NodeIdentity.generate();
    private static final Block GENESIS = new BlockFactory(NODE).found("committer test", "me", Instant.ofEpochMilli(1_700_000_000_000L));

    /** Stores in memory; may be told to fail a group, and to take its time like a database. */
    private static final class FakeStore implements Committer.Store, Committed {
        final List<String> stored = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        /** Where each committed block sits; the group's genesis is there from the start. */
        private final Map<String, BlockPlace> places = new ConcurrentHashMap<>();
        private final SplittableRandom random;
        private final double failureRate;

        FakeStore(long seed, double failureRate) {
            this.random = new SplittableRandom(seed);
            this.failureRate = failureRate;
            places.put(GENESIS.hash(), new BlockPlace(OrderKey.of(GENESIS, 0), List.of(GENESIS.hash())));
        }

        @Override
        public GroupCommit.Opened open() {
            return new GroupCommit.Opened(new LedgerState(List.of(OrderKey.of(GENESIS, 0)),
                    new SealedDigest(SetDigest.EMPTY, "seal")), List.of());
        }

        @Override
        public List<LedgerRepository.MembershipRow> membershipBlocks() {
            return List.of(new LedgerRepository.MembershipRow(GENESIS, List.of()));
        }

        @Override
        public void reshow(Set<String> authors, ShowRule rule) {
            throw new AssertionError("messages alone change no membership");
        }

        @Override
        public boolean contains(String hash) {
            return places.containsKey(hash);
        }

        @Override
        public Map<String, BlockPlace> placesOf(Collection<String> hashes) {
            Map<String, BlockPlace> found = new HashMap<>();
            hashes.stream().filter(places::containsKey).forEach(h -> found.put(h, places.get(h)));
            return found;
        }

        @Override
        public boolean named(String hash) {
            return false;
        }

        @Override
        public Ancestry.Links links(String hash) {
            BlockPlace place = places.get(hash);
            return place == null ? null : new Ancestry.Links(place.key().height(), List.of());
        }

        @Override
        public LedgerState commit(LedgerState before, List<Slot> group) throws StorageException {
            // Called under the commit lock only, so the random source is not shared.
            LockSupport.parkNanos(random.nextInt(200_000));
            if (random.nextDouble() < failureRate) {
                throw new StorageException("[DB] injected failure of " + group.size() + " block(s)", null);
            }
            List<OrderKey> heads = new ArrayList<>(before.heads());
            for (Slot slot : group) {
                heads.removeAll(slot.parentKeys);
                heads.add(slot.key);
                stored.add(slot.key.hash());
                places.put(slot.key.hash(), slot.place());
            }
            groups.add(group.size());
            return new LedgerState(heads, before.digest());
        }
    }

    /** One sender's view of a send: the place fixed, then what the wait returned. */
    private record Sent(long placedAt, String hash, boolean stored) {
    }

    @Test
    void everySendReturnsStoredOnceInPlaceOrderOverManySeeds() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            FakeStore store = new FakeStore(seed, 0);
            List<Sent> sent = run(seed, store);
            assertEquals(SENDERS * SENDS_EACH, sent.size(), "seed " + seed);
            assertTrue(sent.stream().allMatch(Sent::stored), "seed " + seed + ": a send failed without a failure");
            assertEquals(placeOrder(sent), store.stored, "seed " + seed + ": stored out of place order, or twice");
            assertTrue(store.groups.stream().anyMatch(g -> g > 1), "seed " + seed + ": no group formed " + store.groups);
        }
    }

    @Test
    void underInjectedFailuresExactlyTheSendsReportedStoredAreStoredOverManySeeds() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            FakeStore store = new FakeStore(seed, 0.1);
            List<Sent> sent = run(seed, store);
            assertEquals(SENDERS * SENDS_EACH, sent.size(), "seed " + seed);
            List<String> succeeded = placeOrder(sent.stream().filter(Sent::stored).toList());
            assertEquals(succeeded, store.stored, "seed " + seed + ": a send reported stored is not stored, or the"
                    + " other way round");
        }
    }

    private static List<String> placeOrder(List<Sent> sent) {
        return sent.stream().sorted((a, b) -> Long.compare(a.placedAt, b.placedAt)).map(Sent::hash).toList();
    }

    /** Runs the senders against a fresh chain and committer; fails the test if any send does not return. */
    private static List<Sent> run(long seed, FakeStore store) throws Exception {
        ReentrantLock chainLock = new ReentrantLock();
        Chain chain = new Chain(List.of(), new PendingPool(100), Limits.DEFAULT.maxParents(), new MembershipGate(GENESIS.hash()));
        Committer committer = new Committer(chain, chainLock, store, new Committer.Listener() {
            @Override
            public void stored(List<StoredBlock> added) {
            }

            @Override
            public void restored(StoredBlock restored) {
            }
        }, () -> chain.gate().rebuild(store.membershipBlocks()), authors -> { });
        committer.reopen();
        BlockFactory factory = new BlockFactory(NODE);
        BlockVerifier verifier = new BlockVerifier(GENESIS.hash(), Limits.DEFAULT, Clock.systemUTC());
        long[] placeCounter = {0};
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<List<Sent>>> futures = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Random random = new Random(seed * 31 + s);
                futures.add(senders.submit(() -> {
                    List<Sent> mine = new ArrayList<>();
                    for (int i = 0; i < SENDS_EACH; i++) {
                        Chain.Placed placed;
                        long at;
                        chainLock.lock();
                        try {
                            placed = chain.place(factory, verifier, Instant.ofEpochMilli(System.currentTimeMillis()),
                                    new Body.Message("00".repeat(Body.SALT_BYTES), "text " + i), store);
                            at = placeCounter[0]++;
                        } finally {
                            chainLock.unlock();
                        }
                        if (random.nextInt(3) == 0) {
                            LockSupport.parkNanos(random.nextInt(300_000));
                        }
                        placed.slot().signed(placed.draft().sign());
                        boolean ok;
                        try {
                            committer.awaitStored(placed.slot());
                            ok = true;
                        } catch (StorageException e) {
                            ok = false;
                        }
                        mine.add(new Sent(at, placed.slot().key.hash(), ok));
                    }
                    return mine;
                }));
            }
            List<Sent> all = new ArrayList<>();
            for (Future<List<Sent>> future : futures) {
                try {
                    all.addAll(future.get(60, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("seed " + seed + ": a send never returned (a slot was stranded)", e);
                }
            }
            return all;
        } finally {
            senders.shutdownNow();
        }
    }
}
