package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import org.junit.jupiter.api.Test;

/** An honest session's duties beyond convergence: no echo of gossip, and answering a repair's wants. */
class PeerSessionTest {
    private final SessionHarness harness = new SessionHarness();

    private Block fromPeer(String text) {
        return harness.fromPeer(text);
    }

    private List<Frame> sentOf(String type) {
        return harness.sent.stream().filter(f -> f.type().equals(type)).toList();
    }

    @Test
    void aBlockThePeerSentIsNotForwardedBackToIt() throws Exception {
        harness.handshake();
        Block theirs = fromPeer("from the peer");
        harness.deliver(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(theirs)).build()));
        assertTrue(harness.ledger.holds(theirs.hash()));
        Block mine = harness.ledger.send("mine", Instant.ofEpochMilli(System.currentTimeMillis()));

        Gossip.spread(List.of(theirs), List.of(harness.session));
        Gossip.spread(List.of(mine), List.of(harness.session));

        List<Frame> forwarded = sentOf("NEW_BLOCK");
        assertEquals(1, forwarded.size(), "only our own block goes out: " + forwarded);
        assertEquals(mine.hash(), forwarded.get(0).body().getJsonObject("block").getString("hash"));
        assertTrue(harness.session.sentUs(theirs.hash()));
        assertFalse(harness.session.sentUs(mine.hash()));
    }

    @Test
    void blocksWantedByHashAreSentParentsFirstEvenIfTheRequesterSeemsToHoldThem() throws Exception {
        harness.handshake();
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chain.add(harness.ledger.send("m" + i, Instant.ofEpochMilli(System.currentTimeMillis() + i)).hash());
        }
        harness.sent.clear();
        JsonArrayBuilder want = Json.createArrayBuilder().add(chain.get(3)).add(chain.get(1)).add("ab".repeat(32));
        harness.deliver(new Frame("SYNC_REQUEST", Json.createObjectBuilder()
                .add("heads", Json.createArrayBuilder().add(chain.get(4)))
                .add("probes", Json.createArrayBuilder()).add("want", want).build()));

        assertNull(harness.closed);
        List<Frame> answers = sentOf("SYNC_RESPONSE");
        assertEquals(1, answers.size());
        List<String> sent = answers.get(0).body().getJsonArray("blocks").stream()
                .map(b -> b.asJsonObject().getString("hash")).toList();
        assertEquals(List.of(chain.get(1), chain.get(3)), sent, "held wanted blocks only, parents first");
    }

    @Test
    void aRepairingNodeAsksForItsWantedBlocks() throws Exception {
        harness.handshake();
        Block a = harness.ledger.send("a", Instant.ofEpochMilli(System.currentTimeMillis()));
        harness.ledger.send("b", Instant.ofEpochMilli(System.currentTimeMillis() + 1));
        harness.ledger.lose(List.of(a.hash()));
        harness.ledger.repair();
        harness.sent.clear();

        harness.session.requestSync();

        JsonObject request = sentOf("SYNC_REQUEST").get(0).body();
        assertEquals(List.of(a.hash()), request.getJsonArray("want").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList());
    }

    @Test
    void aWantListThatIsTooLongIsRefused() throws Exception {
        harness.handshake();
        JsonArrayBuilder want = Json.createArrayBuilder();
        for (int i = 0; i <= LedgerPort.MAX_WANTED; i++) {
            want.add(String.format("%064x", i));
        }
        harness.deliver(new Frame("SYNC_REQUEST", Json.createObjectBuilder().add("heads", Json.createArrayBuilder())
                .add("probes", Json.createArrayBuilder()).add("want", want).build()));
        assertNotNull(harness.closed);
        assertEquals("MALFORMED", sentOf("ERROR").get(0).body().getString("reason"));
    }

    @Test
    void thePeersHeadsMoveOnWithTheBlocksThatCrossTheLink() throws Exception {
        harness.handshake();
        Block theirs = fromPeer("from the peer");
        harness.deliver(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(theirs)).build()));
        assertEquals(List.of(theirs.hash()), harness.session.peerHeads());
        Block mine = harness.ledger.send("answer", Instant.ofEpochMilli(System.currentTimeMillis() + 1));
        Gossip.spread(List.of(mine), List.of(harness.session));
        assertEquals(List.of(mine.hash()), harness.session.peerHeads(), "our block names theirs: it is the only head");
        assertEquals(harness.ledger.heads(), harness.session.peerHeads(), "in sync without waiting for a sync request");
    }

    private List<Block> peerChain(int n) {
        BlockFactory factory = new BlockFactory(harness.peer);
        List<Block> chain = new ArrayList<>();
        List<net.ledgerchat.ledger.OrderKey> parents = harness.ledger.headKeys();
        long now = System.currentTimeMillis() - n;
        for (int i = 0; i < n; i++) {
            Block block = factory.write(harness.group, parents, Instant.ofEpochMilli(now + i),
                    new Body.Message("00".repeat(Body.SALT_BYTES), "m" + i));
            chain.add(block);
            parents = List.of(net.ledgerchat.ledger.OrderKey.of(block, parents.get(0).orderTs()));
        }
        return chain;
    }

    private static Frame syncResponse(List<Block> blocks, boolean more) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        blocks.forEach(b -> array.add(BlockCodec.toJson(b)));
        return new Frame("SYNC_RESPONSE", Json.createObjectBuilder().add("blocks", array).add("more", more).build());
    }

    @Test
    void aSyncBatchThatMoreFollowIsStoredBeforeTheNextBatchOrAnyOtherFrame() throws Exception {
        harness.handshake();
        List<Block> chain = peerChain(5);
        harness.deliver(syncResponse(chain.subList(0, 2), true));
        assertFalse(harness.ledger.holds(chain.get(0).hash()), "held back while its checks run");
        harness.deliver(syncResponse(chain.subList(2, 3), true));
        assertTrue(harness.ledger.holds(chain.get(1).hash()), "the next batch stores the one before it");
        assertFalse(harness.ledger.holds(chain.get(2).hash()));
        harness.deliver(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(chain.get(3))).build()));
        assertTrue(harness.ledger.holds(chain.get(3).hash()), "a gossiped child finds its parent stored, not pending");
        harness.deliver(syncResponse(chain.subList(4, 5), false));
        assertTrue(harness.ledger.holds(chain.get(4).hash()), "the last batch is stored at once");
        assertNull(harness.closed);
    }

    @Test
    void aBadBatchHeldBackIsRefusedWhenTheNextFrameArrives() throws Exception {
        harness.handshake();
        List<Block> chain = peerChain(3);
        Block real = chain.get(1);
        Body forgedText = new Body.Message("00".repeat(Body.SALT_BYTES), "forged");
        Block forged = new Block(new net.ledgerchat.ledger.Header(real.header().group(), real.parents(), real.height(),
                real.author(), real.timestamp(), real.kind(), forgedText.digest()), forgedText, real.hash(), real.signature());
        harness.deliver(syncResponse(List.of(chain.get(0), forged), true));
        assertNull(harness.closed);
        harness.deliver(syncResponse(chain.subList(2, 3), false));
        assertNotNull(harness.closed, "the forged block is refused and the link closed");
        assertFalse(harness.ledger.holds(chain.get(0).hash()),
                "a batch is checked whole before any of it is stored: the good block in it waits for an honest peer");
        assertFalse(harness.ledger.holds(chain.get(2).hash()), "nothing after the refusal is stored");
        assertEquals("REJECTED_BLOCK", sentOf("ERROR").get(0).body().getString("reason"));
    }

    @Test
    void aStoredBlockThatDoesNotCountIsNotGossipedOnward() throws Exception {
        harness.handshake();
        Block mine = harness.ledger.send("counts", Instant.ofEpochMilli(System.currentTimeMillis()));
        Block other = harness.ledger.send("does not count", Instant.ofEpochMilli(System.currentTimeMillis() + 1));
        harness.sent.clear();
        net.ledgerchat.ledger.OrderKey key = net.ledgerchat.ledger.OrderKey.of(other, 0);
        Gossip.spreadStored(List.of(new net.ledgerchat.store.StoredBlock(mine, key, null, true),
                new net.ledgerchat.store.StoredBlock(other, key, null, false)), List.of(harness.session));
        List<Frame> forwarded = sentOf("NEW_BLOCK");
        assertEquals(1, forwarded.size(), "only the block that counts goes out: " + forwarded);
        assertEquals(mine.hash(), forwarded.get(0).body().getJsonObject("block").getString("hash"));
    }

    @Test
    void aPeerThatRefusesThisNodeIsToldApartFromOneThatClosesForAnotherReason() throws Exception {
        harness.handshake();
        assertFalse(harness.session.refusedByPeer());
        harness.deliver(new Frame("ERROR", Json.createObjectBuilder().add("reason", "TOO_SLOW").build()));
        assertFalse(harness.session.refusedByPeer(), "a link closed for another reason is dialled again at once");

        SessionHarness removed = new SessionHarness();
        removed.handshake();
        removed.deliver(new Frame("ERROR", Json.createObjectBuilder().add("reason", "NOT_A_MEMBER").build()));
        assertTrue(removed.session.refusedByPeer(), "a peer that no longer takes this node is dialled less often");
    }
}
