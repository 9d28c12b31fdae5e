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
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.PendingPool;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.membership.Context;
import net.ledgerchat.store.BlockPlace;
import org.junit.jupiter.api.Test;

/** The writer's reservation queue: chain order, group boundaries at unsigned slots, and giving up after a failure. */
class ChainTest {
    private static final NodeIdentity NODE = NodeIdentity.generate();
    private final BlockFactory factory = new BlockFactory(NODE);
    private long clock = 1_700_000_000_000L;
    /** Every chain here starts after this group's genesis, by this node, committed. */
    private final Block genesis = factory.found("test group", "me", Instant.ofEpochMilli(clock++));
    private final String group = genesis.hash();
    private final Memory memory = new Memory();

    private Chain chain() throws Exception {
        return chain(64);
    }

    private Chain chain(int maxParents) throws Exception {
        Chain chain = new Chain(List.of(), new PendingPool(10), maxParents, new MembershipGate(group));
        assertEquals(AcceptOutcome.STORED, chain.offer(genesis, verifier(), memory).outcome());
        memory.commitAll(chain);
        return chain;
    }

    private BlockFactory.Draft draft(Chain chain) {
        return factory.draft(group, chain.newestTips(), Instant.ofEpochMilli(clock++), message("text " + clock));
    }

    private static Body.Message message(String text) {
        return new Body.Message("00".repeat(Body.SALT_BYTES), text);
    }

    private Block write(List<OrderKey> parents, String text) {
        return factory.write(group, parents, Instant.ofEpochMilli(clock++), message(text));
    }

    private Slot reserve(Chain chain, BlockFactory.Draft draft) {
        List<OrderKey> parents = chain.newestTips();
        long parentTs = parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        // Only the queue is under test here: the draft is placed in the genesis's context, as a message after it is.
        MembershipGate.Admitted admitted = new MembershipGate.Admitted(Context.EMPTY, List.of(group), List.of(group), false);
        return chain.reserve(OrderKey.of(draft.unsignedView(), parentTs), parents, null, true, admitted);
    }

    private BlockVerifier verifier() {
        return new BlockVerifier(group, Limits.DEFAULT, java.time.Clock.systemUTC());
    }

    @Test
    void concurrentReservationsChainInsteadOfForking() throws Exception {
        Chain chain = chain();
        BlockFactory.Draft first = draft(chain);
        Slot a = reserve(chain, first);
        BlockFactory.Draft second = draft(chain);
        Slot b = reserve(chain, second);
        assertEquals(List.of(a.key.hash()), second.unsignedView().parents());
        assertEquals(List.of(b.key), chain.newestTips());
        assertEquals(a.key, chain.reservedKey(a.key.hash()));
    }

    @Test
    void onlyTheSignedPrefixLeavesAndInReservationOrder() throws Exception {
        Random random = new Random(7);
        Chain chain = chain();
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
    void groupsAreBounded() throws Exception {
        Chain chain = chain();
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
    void abandoningGivesUpEveryQueuedSlotAndReturnsToTheCommittedTips() throws Exception {
        Chain chain = chain();
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
    void aSlotRefusesASignedBlockThatIsNotItsOwn() throws Exception {
        Chain chain = chain();
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
        Chain chain = new Chain(heads, new PendingPool(10), 3, new MembershipGate(group));
        assertEquals(heads.subList(2, 5), chain.newestTips());
    }

    /** Committed blocks in memory, as a simulated node keeps them. */
    private static final class Memory implements Committed {
        final java.util.Map<String, OrderKey> keys = new java.util.HashMap<>();
        final java.util.Map<String, BlockPlace> places = new java.util.HashMap<>();
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
            places.remove(block.hash());
        }

        @Override
        public java.util.Map<String, BlockPlace> placesOf(java.util.Collection<String> hashes) {
            java.util.Map<String, BlockPlace> found = new java.util.HashMap<>();
            hashes.stream().filter(places::containsKey).forEach(h -> found.put(h, places.get(h)));
            return found;
        }

        @Override
        public Ancestry.Links links(String hash) {
            return keys.containsKey(hash) ? new Ancestry.Links(keys.get(hash).height(), parents.get(hash)) : null;
        }

        void commitAll(Chain chain) {
            List<Slot> group = chain.takeReadyPrefix(1_000);
            group.forEach(slot -> {
                keys.put(slot.key.hash(), slot.key);
                parents.put(slot.key.hash(), slot.parentKeys.stream().map(OrderKey::hash).toList());
                places.put(slot.key.hash(), slot.place());
            });
            chain.committed(group);
        }
    }

    @Test
    void blocksArrivingChildFirstWaitAndAreReleasedParentsFirst() throws Exception {
        Chain chain = chain();
        Line line = Line.after(this);
        Block a = line.a();
        Block b = line.b();
        Block c = line.c();
        BlockVerifier verifier = verifier();

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
        Chain chain = chain();
        BlockVerifier verifier = verifier();
        OrderKey liar = new OrderKey(OrderKey.of(genesis, 0).orderTs(), 5, genesis.hash());
        Block wrong = write(List.of(liar), "claims height 6");
        assertThrows(net.ledgerchat.ledger.BlockRejectedException.class, () -> chain.offer(wrong, verifier, memory));
        assertTrue(chain.allReady());
    }

    /** Three messages a, b, c after the genesis, each following the one before: a chain. */
    private record Line(Block a, Block b, Block c) {
        static Line after(ChainTest test) {
            OrderKey root = OrderKey.of(test.genesis, 0);
            Block a = test.write(List.of(root), "a");
            OrderKey keyA = OrderKey.of(a, root.orderTs());
            Block b = test.write(List.of(keyA), "b");
            Block c = test.write(List.of(OrderKey.of(b, keyA.orderTs())), "c");
            return new Line(a, b, c);
        }
    }

    private Memory committedLine(Chain chain, Line line) throws Exception {
        for (Block block : List.of(line.a(), line.b(), line.c())) {
            chain.offer(block, verifier(), memory);
        }
        memory.commitAll(chain);
        return memory;
    }

    @Test
    void aWantedBlockFromTheMiddleIsRestoredWithItsOldKeyAndChangesNoTip() throws Exception {
        Chain chain = chain();
        Line line = Line.after(this);
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
        Chain chain = chain();
        Line line = Line.after(this);
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
        Chain chain = chain();
        Line line = Line.after(this);
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
        Chain chain = chain();
        Line line = Line.after(this);
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
        Chain chain = chain();
        Line line = Line.after(this);
        Memory memory = committedLine(chain, line);
        OrderKey a = memory.keys.get(line.a().hash());
        BlockPlace placeA = memory.places.get(line.a().hash());
        Committed ahead = memory.readAhead(java.util.Set.of(line.a().hash(), "f".repeat(64)),
                java.util.Map.of(line.a().hash(), placeA));

        assertTrue(ahead.contains(line.a().hash()));
        assertFalse(ahead.contains("f".repeat(64)), "read ahead and not found");
        assertTrue(ahead.contains(line.c().hash()), "not read ahead: asked of the database");
        assertEquals(java.util.Map.of(line.a().hash(), placeA, line.b().hash(), memory.places.get(line.b().hash())),
                ahead.placesOf(List.of(line.a().hash(), line.b().hash(), "f".repeat(64))));
        assertEquals(a, placeA.key());
    }

    @Test
    void aMessageByAKeyThatIsNotAMemberIsRefusedAndReservesNothing() throws Exception {
        Chain chain = chain();
        Block stranger = new BlockFactory(NodeIdentity.generate()).write(group, List.of(OrderKey.of(genesis, 0)),
                Instant.ofEpochMilli(clock++), message("let me in"));

        BlockRejectedException refused = assertThrows(BlockRejectedException.class,
                () -> chain.offer(stranger, verifier(), memory));

        assertEquals(RejectReason.NOT_ALLOWED, refused.reason());
        assertTrue(refused.getMessage().contains("not a member"), refused.getMessage());
        assertNull(chain.reservedKey(stranger.hash()));
        assertEquals(List.of(OrderKey.of(genesis, 0)), chain.newestTips());
    }

    @Test
    void aMembersMessageIsPlacedInItsMembershipContextAndShownUnderItsAdmittedName() throws Exception {
        Chain chain = chain();
        Block hello = write(List.of(OrderKey.of(genesis, 0)), "hello");

        Slot slot = chain.offer(hello, verifier(), memory).reserved().get(0);

        assertEquals(List.of(genesis.hash()), slot.context(), "the genesis is the latest membership block in its past");
        assertEquals(List.of(genesis.hash()), slot.place().context(), "and what its children inherit");
        assertTrue(slot.shown().counts());
        assertEquals("me", slot.shown().name());
        assertEquals(List.of(genesis.hash()), memory.places.get(genesis.hash()).context(),
                "a membership block is its children's context");
    }
}
