package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.peer.BlockCodec;
import net.ledgerchat.peer.Frame;
import net.ledgerchat.peer.tls.PeerTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A group is members only (DESIGN section 7), against one real node that founded it: a fresh key that knows the
 * group id gets nothing and stores nothing; invites are made, listed without their secrets and revoked through the
 * API; a forged, used, revoked, expired or unknown invite is refused with its reason; an invited key receives the
 * whole history and writes; a removed member's link closes at once and it gets nothing more, also when it comes back
 * resuming the TLS session it had as a member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MembersOnlyIT {
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final String HISTORY = "said before anyone else joined";
    private NodeProcess founder;
    private HttpJson api;
    private String group;
    private int peerPort;
    private final NodeIdentity invited = NodeIdentity.generate();

    @BeforeAll
    void foundAGroup() throws Exception {
        Path dir = NodeProcess.freshTestDir("members-only");
        peerPort = NodeProcess.freePort();
        Map<String, String> env = Group.settings(dir, "Founder", NodeProcess.freePort(), peerPort);
        founder = new NodeProcess("founder", dir.resolve("work"), dir, env).startAndAwaitReady();
        api = founder.http();
        group = api.get("/api/node").json().getString("groupId");
        assertEquals(201, api.sendMessage(HISTORY).status());
    }

    @AfterAll
    void stop() {
        if (founder != null) {
            founder.close();
        }
    }

    @Test
    @Order(1)
    void aFreshKeyThatKnowsTheGroupIdGetsNothingAndStoresNothing() throws Exception {
        long blocks = LedgerView.blockCount(api);
        NodeIdentity stranger = NodeIdentity.generate();
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, stranger)) {
            peer.authenticate(stranger, group, "stranger");
            peer.send(new Frame("SYNC_REQUEST", Json.createObjectBuilder().add("heads", Json.createArrayBuilder())
                    .add("probes", Json.createArrayBuilder()).build()));
            String said = peer.awaitClosed(ANSWER);
            assertTrue(said.contains("\"reason\":\"NOT_A_MEMBER\""), said);
            for (String word : List.of("SYNC_RESPONSE", "NEW_BLOCK", "SYNC_REQUEST", HISTORY)) {
                assertFalse(said.contains(word), "a stranger was told '" + word + "': " + said);
            }
        }
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, stranger)) {
            peer.authenticate(stranger, group, "stranger");
            Block message = new Forgeries(group, stranger, () -> LedgerView.headKeys(api)).honest("let me write");
            peer.send(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(message)).build()));
            assertTrue(peer.awaitClosed(ANSWER).contains("\"reason\":\"NOT_A_MEMBER\""));
            assertFalse(LedgerView.blockHashes(api).contains(message.hash()), "a stranger's block was stored");
        }
        assertEquals(blocks, LedgerView.blockCount(api), "a stranger's visit stored something");
    }

    @Test
    @Order(2)
    void invitesAreMadeListedWithoutTheirSecretsAndRevoked() {
        HttpJson.Reply made = api.post("/api/invites", "{}");
        assertEquals(201, made.status(), made.body());
        JsonObject invite = made.json();
        String code = invite.getString("code");
        assertTrue(invite.getString("link").endsWith("#join=" + code), invite.toString());
        assertEquals(invite.getString("id"), RawPeer.parse(code).invite(), "the id is the invite block's hash");
        assertTrue(Instant.parse(invite.getString("expires")).isAfter(Instant.now().plus(Duration.ofDays(6))),
                "an invite lasts a week by default: " + invite);

        String listed = api.get("/api/invites").body();
        assertTrue(listed.contains(invite.getString("id")), listed);
        String secret = Hex.encode(RawPeer.parse(code).key().secret());
        assertFalse(listed.contains(code) || listed.contains(secret) || listed.contains("\"code\""),
                "the list shows a secret: " + listed);

        assertEquals(204, api.delete("/api/invites/" + invite.getString("id")).status());
        assertFalse(api.get("/api/invites").body().contains(invite.getString("id")), "a revoked invite is still open");
        assertEquals(404, api.delete("/api/invites/" + invite.getString("id")).status(), "revoked twice");

        assertEquals(400, api.post("/api/invites", "{\"expires\":\"2000-01-01T00:00:00Z\"}").status());
        assertEquals(400, api.post("/api/invites", "{\"expires\":\"next week\"}").status());
        assertEquals(400, api.post("/api/invites", "{").status());
    }

    @Test
    @Order(3)
    void forgedRevokedExpiredAndUnknownInvitesAreRefusedWithTheirReason() throws Exception {
        InviteCode good = RawPeer.parse(Group.invite(api));
        InviteCode forged = new InviteCode(group, good.invite(), good.contacts(), new byte[32]);
        assertJoinRefused(forged, "invite proof does not verify");

        InviteCode revoked = RawPeer.parse(Group.invite(api));
        assertEquals(204, api.delete("/api/invites/" + revoked.invite()).status());
        assertJoinRefused(revoked, "invite revoked");

        String soon = Instant.now().plusSeconds(2).toString();
        InviteCode expiring = RawPeer.parse(api.post("/api/invites", "{\"expires\":\"" + soon + "\"}").json().getString("code"));
        Thread.sleep(3_000);
        assertJoinRefused(expiring, "invite expired");

        assertJoinRefused(new InviteCode(group, "ab".repeat(32), good.contacts(), good.key().secret()), "no such invite");
    }

    @Test
    @Order(4)
    void anInvitedKeyReceivesTheWholeHistoryAndWrites() throws Exception {
        String code = Group.invite(api);
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, invited)) {
            peer.authenticate(invited, group, "Invitee");
            assertEquals("JOINED", peer.join(RawPeer.parse(code), invited).type());
            peer.send(new Frame("SYNC_REQUEST", Json.createObjectBuilder().add("heads", Json.createArrayBuilder())
                    .add("probes", Json.createArrayBuilder()).build()));
            int received = 0;
            boolean more = true;
            while (more) {
                JsonObject response = peer.awaitFrame("SYNC_RESPONSE").body();
                received += response.getJsonArray("blocks").size();
                more = response.getBoolean("more", false);
            }
            assertEquals(LedgerView.blockCount(api), received, "the whole history, its own admit included");

            Block hello = new Forgeries(group, invited, () -> LedgerView.headKeys(api)).honest("hello from the invitee");
            peer.send(new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(hello)).build()));
            LinkedPair.awaitStored(api, hello.hash());
            JsonObject shown = api.get("/api/messages?limit=1").json().getJsonArray("messages").getJsonObject(0);
            assertEquals("Invitee", shown.getString("sender"), "named by the name in its admit");

            JsonObject member = member(invited.publicKey());
            assertEquals("member", member.getString("rank"));
            assertTrue(member.getBoolean("linked"), member.toString());
            assertJoinRefusedAs(NodeIdentity.generate(), RawPeer.parse(code), "invite already used");
        }
    }

    @Test
    @Order(5)
    void aRemovedMembersLinkClosesAtOnceAndItGetsNothingMore() throws Exception {
        PeerTls sessions = PeerTls.create(invited, key -> true);
        long sessionCreated;
        List<net.ledgerchat.ledger.OrderKey> beforeRemoval = LedgerView.headKeys(api);
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, sessions)) {
            peer.handshake(invited, group, "Invitee");
            sessionCreated = peer.sessionCreated();
            assertEquals(204, api.delete("/api/members/" + invited.publicKey()).status());
            String said = peer.awaitClosed(ANSWER);
            int removal = said.indexOf("\"kind\":\"remove\"");
            int closing = said.indexOf("\"reason\":\"NOT_A_MEMBER\"");
            assertTrue(closing >= 0, "the link stayed open: " + said);
            assertTrue(removal >= 0 && removal < closing, "the removed member was not handed its removal first: " + said);
        }
        assertFalse(api.get("/api/members").body().contains(invited.publicKey()), "still listed as a member");
        // Written where its author was still a member, beside its removal: stored (the rule holds at its parents),
        // never shown, counted per author.
        Block beside = new Forgeries(group, invited, () -> beforeRemoval).honest("written beside my removal");
        HttpJson.Reply offered = api.post("/api/ledger/blocks", net.ledgerchat.it.Blocks.toJson(beside).toString());
        assertEquals(201, offered.status(), offered.body());
        assertFalse(LedgerView.messageTexts(api).contains("written beside my removal"), "a block beside a removal is shown");
        JsonObject notCounting = api.get("/api/ledger/not-counting").json().getJsonArray("authors").getJsonObject(0);
        assertEquals(invited.publicKey(), notCounting.getString("author"));
        assertEquals("Invitee", notCounting.getString("name"));
        assertEquals(1, notCounting.getInt("blocks"));
        // The removed key comes back on the session it had as a member: the trust manager is not asked again, but
        // the link's key is checked against the membership after every handshake, a resumed one included.
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, sessions)) {
            assertEquals(sessionCreated, peer.sessionCreated(), "the node did not resume the member's session");
            peer.authenticate(invited, group, "Invitee");
            peer.send(new Frame("SYNC_REQUEST", Json.createObjectBuilder().add("heads", Json.createArrayBuilder())
                    .add("probes", Json.createArrayBuilder()).build()));
            String said = peer.awaitClosed(ANSWER);
            assertTrue(said.contains("\"reason\":\"NOT_A_MEMBER\"") && !said.contains("SYNC_RESPONSE"), said);
        }
    }

    @Test
    @Order(6)
    void theMembersApiRefusesWhatTheRulesForbid() {
        String founderKey = api.get("/api/node").json().getString("key");
        HttpJson.Reply leave = api.delete("/api/members/" + founderKey);
        assertEquals(403, leave.status(), leave.body());
        assertTrue(leave.body().contains("the founder must hand"), leave.body());
        assertEquals(400, api.delete("/api/members/not-a-key").status());
        assertEquals(403, api.put("/api/members/" + "ab".repeat(32) + "/rank", "{\"rank\":\"admin\"}").status(),
                "a rank for someone who is not a member");
        assertEquals(400, api.put("/api/members/" + founderKey + "/rank", "{\"rank\":\"emperor\"}").status());
        JsonObject founderRow = member(founderKey);
        assertEquals("founder", founderRow.getString("rank"));
        assertEquals("Founder", founderRow.getString("name"));
    }

    private JsonObject member(String key) {
        for (JsonValue m : api.get("/api/members").json().getJsonArray("members")) {
            if (m.asJsonObject().getString("key").equals(key)) {
                return m.asJsonObject();
            }
        }
        throw new AssertionError("no member " + key + " in " + api.get("/api/members").body());
    }

    private void assertJoinRefused(InviteCode code, String reason) throws Exception {
        assertJoinRefusedAs(NodeIdentity.generate(), code, reason);
    }

    private void assertJoinRefusedAs(NodeIdentity joiner, InviteCode code, String reason) throws Exception {
        try (RawPeer peer = RawPeer.connect(peerPort, ANSWER, joiner)) {
            peer.authenticate(joiner, group, "hopeful");
            Frame answer = peer.join(code, joiner);
            assertEquals("ERROR", answer.type(), answer.toString());
            assertEquals("JOIN_REFUSED", answer.body().getString("reason"));
            assertTrue(answer.body().getString("detail").contains(reason), answer.body().toString());
        }
        assertFalse(api.get("/api/members").body().contains(joiner.publicKey()), "a refused joiner is a member");
        assertTrue(founder.logText().contains("[Members] Refused hopeful (" + joiner.publicKey() + ")"), founder.logTail());
    }
}
