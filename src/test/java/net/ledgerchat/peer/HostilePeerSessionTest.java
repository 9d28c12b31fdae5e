package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer against one session: each attack gets an ERROR frame naming its reason, the link is
 * closed, and nothing reaches the ledger.
 */
class HostilePeerSessionTest {
    private final SessionHarness harness = new SessionHarness();
    private final String group = harness.group;
    private final NodeIdentity node = harness.node;
    private final NodeIdentity attacker = harness.peer;
    private final MemoryLedger ledger = harness.ledger;
    private final List<Frame> sent = harness.sent;
    private final PeerSession session = harness.session;
    private final Handshake attackerSide = harness.peerSide;
    /** The founder's genesis, the invite and the attacker's admit: an attack must add nothing to them. */
    private final List<String> before = ledger.ordered();

    private void deliver(Frame frame) {
        harness.deliver(frame);
    }

    private void handshake() throws Exception {
        harness.handshake();
    }

    private void assertRefused(String reason) {
        assertNotNull(harness.closed, "the link must be closed");
        Frame error = sent.get(sent.size() - 1);
        assertEquals("ERROR", error.type());
        assertEquals(reason, error.body().getString("reason"));
        assertEquals(before, ledger.ordered(), "nothing may be stored");
        int before = sent.size();
        session.receive("NEW_BLOCK:{}".getBytes(StandardCharsets.US_ASCII));
        assertEquals(before, sent.size(), "a closed session answers nothing");
    }

    private Block honestBlock() {
        return harness.fromPeer("hi");
    }

    private void newBlock(JsonObject block) {
        deliver(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", block).build()));
    }

    @Test
    void garbageBeforeTheHandshake() {
        session.open();
        session.receive("hello there".getBytes(StandardCharsets.US_ASCII));
        assertRefused("MALFORMED");
    }

    @Test
    void invalidUtf8() {
        session.open();
        session.receive(new byte[] {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        assertRefused("INVALID_UTF8");
    }

    @Test
    void wrongGroup() {
        session.open();
        deliver(new Handshake(attacker, "another group", "x", Optional.empty(), new SecureRandom()).hello(List.of()));
        assertRefused("WRONG_GROUP");
    }

    @Test
    void dataBeforeTheHandshake() {
        session.open();
        newBlock(BlockCodec.toJson(honestBlock()));
        assertRefused("UNAUTHENTICATED");
    }

    @Test
    void aBlockWithABadSignature() throws Exception {
        handshake();
        Block b = honestBlock();
        String forged = b.signature().charAt(0) == 'a' ? "b" + b.signature().substring(1) : "a" + b.signature().substring(1);
        newBlock(Json.createObjectBuilder(BlockCodec.toJson(b)).add("signature", forged).build());
        assertRefused("REJECTED_BLOCK");
    }

    @Test
    void aBlockWhoseHashDoesNotMatch() throws Exception {
        handshake();
        Block honest = honestBlock();
        String otherBody = java.util.Base64.getEncoder().encodeToString(
                new net.ledgerchat.ledger.Body.Message("00".repeat(16), "changed").encode());
        newBlock(Json.createObjectBuilder(BlockCodec.toJson(honest)).add("body", otherBody).build());
        assertRefused("REJECTED_BLOCK");
    }

    @Test
    void aBlockNamingTenThousandUnknownParents() throws Exception {
        handshake();
        JsonArrayBuilder parents = Json.createArrayBuilder();
        for (int i = 0; i < 10_000; i++) {
            parents.add(String.format("%064x", i));
        }
        newBlock(Json.createObjectBuilder(BlockCodec.toJson(honestBlock())).add("parents", parents).build());
        assertRefused("MALFORMED");
        assertTrue(ledger.wantedParents().isEmpty(), "no parent was asked for");
    }

    @Test
    void anUnsolicitedSyncResponseFullOfForgedBlocks() throws Exception {
        handshake();
        JsonArrayBuilder blocks = Json.createArrayBuilder();
        BlockFactory liar = new BlockFactory(attacker);
        net.ledgerchat.ledger.Body text = new net.ledgerchat.ledger.Body.Message("00".repeat(16), "root");
        Block root = liar.write(group, ledger.headKeys(), Instant.ofEpochMilli(System.currentTimeMillis()), text);
        blocks.add(BlockCodec.toJson(root));
        Block child = liar.write(group, List.of(OrderKey.of(root, 0)), Instant.ofEpochMilli(System.currentTimeMillis()), text);
        blocks.add(Json.createObjectBuilder(BlockCodec.toJson(child)).add("signature", "0".repeat(128)).build());
        deliver(new Frame("SYNC_RESPONSE", Json.createObjectBuilder().add("blocks", blocks).add("more", false).build()));
        assertNotNull(harness.closed);
        assertEquals("REJECTED_BLOCK", sent.get(sent.size() - 1).body().getString("reason"));
        assertFalse(ledger.holds(child.hash()), "the forged block is not stored");
    }

    @Test
    void anUnknownFrameType() throws Exception {
        handshake();
        session.receive("DROP_TABLES:{}".getBytes(StandardCharsets.US_ASCII));
        assertRefused("UNKNOWN_TYPE");
    }

    @Test
    void aSecondHelloAfterTheHandshake() throws Exception {
        handshake();
        deliver(attackerSide.hello(List.of()));
        assertRefused("UNAUTHENTICATED");
    }

    @Test
    void aSyncRequestWithTooManyHashes() throws Exception {
        handshake();
        JsonArrayBuilder heads = Json.createArrayBuilder();
        for (int i = 0; i < 5_000; i++) {
            heads.add(String.format("%064x", i));
        }
        deliver(new Frame("SYNC_REQUEST", Json.createObjectBuilder().add("heads", heads)
                .add("probes", Json.createArrayBuilder()).build()));
        assertRefused("MALFORMED");
    }

    @Test
    void anHonestPeerIsServed() throws Exception {
        handshake();
        Block b = honestBlock();
        newBlock(BlockCodec.toJson(b));
        assertTrue(ledger.holds(b.hash()));
        assertEquals(null, harness.closed);
        assertTrue(Set.of("HELLO", "PROOF", "SYNC_REQUEST").containsAll(sent.stream().map(Frame::type).toList()));
    }
}
