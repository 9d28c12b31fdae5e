package net.ledgerchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import org.junit.jupiter.api.Test;

/** The writer's reservation queue: chain order, group boundaries at unsigned slots, and giving up after a failure. */
class ChainTest {
    private static final NodeIdentity NODE = NodeIdentity.generate();
    private final BlockFactory factory = new BlockFactory("group", NODE);
    private long clock = 1_700_000_000_000L;

    private BlockFactory.Draft draft(Chain chain) {
        return factory.draft(chain.newestTips(), "me", Instant.ofEpochMilli(clock++), "text " + clock);
    }

    private Slot reserve(Chain chain, BlockFactory.Draft draft) {
        List<OrderKey> parents = chain.newestTips();
        long parentTs = parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        return chain.reserve(OrderKey.of(draft.unsignedView(), parentTs), parents, null, true);
    }

    @Test
    void concurrentReservationsChainInsteadOfForking() {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        BlockFactory.Draft first = draft(chain);
        Slot a = reserve(chain, first);
        BlockFactory.Draft second = draft(chain);
        Slot b = reserve(chain, second);
        assertEquals(List.of(a.key.hash()), second.unsignedView().parents());
        assertEquals(List.of(b.key), chain.newestTips());
        assertEquals(a.key, chain.reservedKey(a.key.hash()));
    }

    @Test
    void onlyTheSignedPrefixLeavesAndInReservationOrder() {
        Random random = new Random(7);
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        List<Slot> slots = new ArrayList<>();
        List<BlockFactory.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BlockFactory.Draft d = draft(chain);
            drafts.add(d);
            slots.add(reserve(chain, d));
        }
        List<Integer> signOrder = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            signOrder.add(i);
        }
        java.util.Collections.shuffle(signOrder, random);
        List<Slot> left = new ArrayList<>();
        for (int i : signOrder) {
            slots.get(i).signed(drafts.get(i).sign());
            List<Slot> group = chain.takeReadyPrefix(1_000);
            chain.committed(group);
            left.addAll(group);
            // Whatever left so far is exactly the first slots, in order, with none unsigned among them.
            assertEquals(slots.subList(0, left.size()), left);
        }
        assertEquals(slots, left);
        assertNull(chain.reservedKey(slots.get(0).key.hash()));
    }

    @Test
    void groupsAreBounded() {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        for (int i = 0; i < 5; i++) {
            BlockFactory.Draft d = draft(chain);
            reserve(chain, d).signed(d.sign());
        }
        assertEquals(2, chain.takeReadyPrefix(2).size());
        assertEquals(2, chain.takeReadyPrefix(2).size());
        assertEquals(1, chain.takeReadyPrefix(2).size());
        assertTrue(chain.takeReadyPrefix(2).isEmpty());
    }

    @Test
    void abandoningGivesUpEveryQueuedSlotAndReturnsToTheCommittedTips() {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        BlockFactory.Draft d0 = draft(chain);
        Slot committed = reserve(chain, d0);
        committed.signed(d0.sign());
        chain.committed(chain.takeReadyPrefix(10));
        Slot lost1 = reserve(chain, draft(chain));
        Slot lost2 = reserve(chain, draft(chain));
        List<Slot> lost = chain.abandon(List.of(committed.key));
        assertEquals(List.of(lost1, lost2), lost);
        assertEquals(List.of(committed.key), chain.newestTips());
        assertNull(chain.reservedKey(lost1.key.hash()));
        assertTrue(chain.allReady());
    }

    @Test
    void aSlotRefusesASignedBlockThatIsNotItsOwn() {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        BlockFactory.Draft mine = draft(chain);
        Slot slot = reserve(chain, mine);
        Block other = draft(chain).sign();
        assertThrows(IllegalArgumentException.class, () -> slot.signed(other));
    }

    @Test
    void moreTipsThanOneBlockMayNameFollowsTheNewest() {
        List<OrderKey> heads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            heads.add(new OrderKey(i, 0, String.format("%064x", i + 1)));
        }
        Chain chain = new Chain(heads, new PendingPool(10), 3);
        assertEquals(heads.subList(2, 5), chain.newestTips());
    }

    /** Committed blocks in memory, as a simulated node keeps them. */
    private static final class Memory implements Chain.Committed {
        final java.util.Map<String, OrderKey> keys = new java.util.HashMap<>();
        final java.util.Map<String, List<String>> parents = new java.util.HashMap<>();

        @Override
        public boolean contains(String hash) {
            return keys.containsKey(hash);
        }

        @Override
        public boolean named(String hash) {
            return parents.values().stream().anyMatch(p -> p.contains(hash));
        }

        void delete(Block block) {
            keys.remove(block.hash());
            parents.remove(block.hash());
        }

        @Override
        public java.util.Map<String, OrderKey> keysOf(java.util.Collection<String> hashes) {
            java.util.Map<String, OrderKey> found = new java.util.HashMap<>();
            hashes.stream().filter(keys::containsKey).forEach(h -> found.put(h, keys.get(h)));
            return found;
        }

        void commitAll(Chain chain) {
            List<Slot> group = chain.takeReadyPrefix(1_000);
            group.forEach(slot -> {
                keys.put(slot.key.hash(), slot.key);
                parents.put(slot.key.hash(), slot.parentKeys.stream().map(OrderKey::hash).toList());
            });
            chain.committed(group);
        }
    }

    @Test
    void blocksArrivingChildFirstWaitAndAreReleasedParentsFirst() throws Exception {
        NodeIdentity peer = NodeIdentity.generate();
        BlockFactory theirs = new BlockFactory("group", peer);
        Block a = theirs.create(List.of(), "peer", Instant.ofEpochMilli(clock++), "a");
        Block b = theirs.create(List.of(OrderKey.of(a, 0)), "peer", Instant.ofEpochMilli(clock++), "b");
        Block c = theirs.create(List.of(OrderKey.of(b, OrderKey.of(a, 0).orderTs())), "peer", Instant.ofEpochMilli(clock++), "c");
        net.ledgerchat.ledger.BlockVerifier verifier = new net.ledgerchat.ledger.BlockVerifier("group",
                net.ledgerchat.ledger.Limits.DEFAULT, java.time.Clock.systemUTC());
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Memory memory = new Memory();

        assertEquals(AcceptOutcome.PENDING, chain.offer(c, verifier, memory).outcome());
        assertEquals(AcceptOutcome.PENDING, chain.offer(b, verifier, memory).outcome());
        assertEquals(AcceptOutcome.PENDING, chain.offer(c, verifier, memory).outcome(), "already waiting");
        Chain.Offered offered = chain.offer(a, verifier, memory);
        assertEquals(AcceptOutcome.STORED, offered.outcome());
        assertEquals(List.of(a.hash(), b.hash(), c.hash()), offered.reserved().stream().map(s -> s.key.hash()).toList());
        assertEquals(AcceptOutcome.DUPLICATE, chain.offer(b, verifier, memory).outcome(), "reserved counts as stored");
        memory.commitAll(chain);
        assertEquals(AcceptOutcome.DUPLICATE, chain.offer(c, verifier, memory).outcome());
        assertEquals(List.of(memory.keys.get(c.hash())), chain.newestTips());
    }

    @Test
    void aBlockWhoseHeightDoesNotFollowFromItsParentsIsRefused() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Memory memory = new Memory();
        net.ledgerchat.ledger.BlockVerifier verifier = new net.ledgerchat.ledger.BlockVerifier("group",
                net.ledgerchat.ledger.Limits.DEFAULT, java.time.Clock.systemUTC());
        Block root = factory.create(List.of(), "me", Instant.ofEpochMilli(clock++), "root");
        chain.offer(root, verifier, memory);
        memory.commitAll(chain);
        OrderKey liar = new OrderKey(OrderKey.of(root, 0).orderTs(), 5, root.hash());
        Block wrong = factory.create(List.of(liar), "me", Instant.ofEpochMilli(clock++), "claims height 6");
        assertThrows(net.ledgerchat.ledger.BlockRejectedException.class, () -> chain.offer(wrong, verifier, memory));
        assertTrue(chain.allReady());
    }

    /** Three blocks a, b, c from a peer, committed in that order: a chain. */
    private record Line(Block a, Block b, Block c) {
        static Line of(long at) throws Exception {
            BlockFactory theirs = new BlockFactory("group", NodeIdentity.generate());
            Block a = theirs.create(List.of(), "peer", Instant.ofEpochMilli(at), "a");
            Block b = theirs.create(List.of(OrderKey.of(a, 0)), "peer", Instant.ofEpochMilli(at + 1), "b");
            Block c = theirs.create(List.of(OrderKey.of(b, OrderKey.of(a, 0).orderTs())), "peer",
                    Instant.ofEpochMilli(at + 2), "c");
            return new Line(a, b, c);
        }
    }

    private static net.ledgerchat.ledger.BlockVerifier verifier() {
        return new net.ledgerchat.ledger.BlockVerifier("group", net.ledgerchat.ledger.Limits.DEFAULT,
                java.time.Clock.systemUTC());
    }

    private static Memory committedLine(Chain chain, Line line) throws Exception {
        Memory memory = new Memory();
        for (Block block : List.of(line.a(), line.b(), line.c())) {
            chain.offer(block, verifier(), memory);
        }
        memory.commitAll(chain);
        return memory;
    }

    @Test
    void aWantedBlockFromTheMiddleIsRestoredWithItsOldKeyAndChangesNoTip() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Line line = Line.of(clock += 10);
        Memory memory = committedLine(chain, line);
        OrderKey before = memory.keys.get(line.b().hash());
        memory.delete(line.b());
        chain.wantOnly(List.of(line.b().hash()));

        Chain.Offered offered = chain.offer(line.b(), verifier(), memory);

        assertEquals(AcceptOutcome.RESTORED, offered.outcome());
        Slot slot = offered.reserved().get(0);
        assertEquals(Slot.Kind.RESTORED, slot.kind);
        assertEquals(before, slot.key, "the order key follows from the block and its parents alone");
        assertFalse(slot.tip, "c still names b");
        assertEquals(List.of(memory.keys.get(line.c().hash())), chain.newestTips());
        assertTrue(chain.wanted().isEmpty());
    }

    @Test
    void aLostHeadComesBackAsTheTip() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Line line = Line.of(clock += 10);
        Memory memory = committedLine(chain, line);
        memory.delete(line.c());
        // After a restart the heads are walked from what is stored: b.
        chain.resetTips(List.of(memory.keys.get(line.b().hash())));
        chain.wantOnly(List.of(line.c().hash()));

        Slot slot = chain.offer(line.c(), verifier(), memory).reserved().get(0);

        assertTrue(slot.tip);
        assertEquals(List.of(slot.key), chain.newestTips());
    }

    @Test
    void wantedBlocksArrivingChildFirstAreAllRestoredParentsFirst() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Line line = Line.of(clock += 10);
        Memory memory = committedLine(chain, line);
        memory.delete(line.b());
        memory.delete(line.c());
        chain.resetTips(List.of(memory.keys.get(line.a().hash())));
        chain.wantOnly(List.of(line.b().hash(), line.c().hash()));

        assertEquals(AcceptOutcome.PENDING, chain.offer(line.c(), verifier(), memory).outcome());
        Chain.Offered offered = chain.offer(line.b(), verifier(), memory);

        assertEquals(List.of(line.b().hash(), line.c().hash()), offered.reserved().stream().map(s -> s.key.hash()).toList());
        assertTrue(offered.reserved().stream().allMatch(s -> s.kind == Slot.Kind.RESTORED));
        assertEquals(List.of(offered.reserved().get(1).key), chain.newestTips());
    }

    @Test
    void aBlockNobodyWantedIsStoredAsNewAndAnAbandonedRestoreIsWantedAgain() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Line line = Line.of(clock += 10);
        Memory memory = committedLine(chain, line);
        memory.delete(line.c());
        chain.resetTips(List.of(memory.keys.get(line.b().hash())));
        assertEquals(AcceptOutcome.STORED, chain.offer(line.c(), verifier(), memory).outcome());
        chain.abandon(List.of(memory.keys.get(line.b().hash())));

        chain.wantOnly(List.of(line.c().hash()));
        assertEquals(AcceptOutcome.RESTORED, chain.offer(line.c(), verifier(), memory).outcome());
        chain.abandon(List.of(memory.keys.get(line.b().hash())));
        assertEquals(java.util.Set.of(line.c().hash()), chain.wanted(), "a restore that could not be stored is still wanted");
    }

    @Test
    void aReadAheadAnswersForTheHashesItReadAndAsksTheDatabaseForOthers() throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), 64);
        Line line = Line.of(clock += 10);
        Memory memory = committedLine(chain, line);
        OrderKey a = memory.keys.get(line.a().hash());
        Chain.Committed ahead = memory.readAhead(java.util.Set.of(line.a().hash(), "f".repeat(64)),
                java.util.Map.of(line.a().hash(), a));

        assertTrue(ahead.contains(line.a().hash()));
        assertFalse(ahead.contains("f".repeat(64)), "read ahead and not found");
        assertTrue(ahead.contains(line.c().hash()), "not read ahead: asked of the database");
        assertEquals(java.util.Map.of(line.a().hash(), a, line.b().hash(), memory.keys.get(line.b().hash())),
                ahead.keysOf(List.of(line.a().hash(), line.b().hash(), "f".repeat(64))));
    }
}
