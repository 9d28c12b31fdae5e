package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.membership.InviteCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real nodes (the uber-jar) on loopback that list each other in their peers files, so every pair dials both
 * ways: two nodes keep one link, exchange what each sent, show the identical ordered list and equal heads,
 * and one killed with kill -9 catches up after its restart; three nodes take 300 concurrent sends (100
 * each), converge, and the one killed while the others take 200 more catches up; two nodes linked through a
 * relay on the path between them converge while the relay sees no plaintext.
 */
class PeersIT {
    private static final int EACH = 20;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoNodesConvergeAndACrashedOneCatchesUp() throws Exception {
        try (Pair pair = Pair.of("peers", Map.of()).started()) {
            NodeProcess b = pair.b();
            HttpJson ha = pair.a().http();
            HttpJson hb = b.http();
            Thread sendsOnB = new Thread(() -> {
                for (int i = 0; i < EACH; i++) {
                    assertEquals(201, hb.sendMessage("bob " + i).status());
                }
            });
            sendsOnB.start();
            for (int i = 0; i < EACH; i++) {
                assertEquals(201, ha.sendMessage("ann " + i).status());
            }
            sendsOnB.join();
            Group.awaitSame(ha, hb, 2 * EACH);

            // Bob dialled Ann first (she founded the group before he started); her own dial to her configured peer
            // follows its back-off, and the status names that peer by the key her first dial learns.
            JsonObject peersOfA = awaitConfiguredPeerConnected(ha);
            JsonObject first = peersOfA.getJsonArray("peers").getJsonObject(0);
            assertEquals(hb.get("/api/node").json().getString("key"), first.getString("key"));
            assertEquals(1, new HashSet<>(peersOfA.getJsonArray("peers").stream()
                    .map(p -> p.asJsonObject().get("key").toString()).toList()).size(), "one link per pair: " + peersOfA);

            b.kill();
            for (int i = 0; i < 10; i++) {
                assertEquals(201, ha.sendMessage("while bob was down " + i).status());
            }
            b.restart();
            Group.awaitSame(ha, hb, 2 * EACH + 10);
        }
    }

    private static JsonObject awaitConfiguredPeerConnected(HttpJson node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonObject peers = node.get("/api/peers").json();
        while (!peers.getJsonArray("peers").getJsonObject(0).getBoolean("connected")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the configured peer never showed as connected: " + peers);
            }
            Thread.sleep(250);
            peers = node.get("/api/peers").json();
        }
        return peers;
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void threeNodesTakeThreeHundredConcurrentSendsAndAKilledNodeCatchesUp() throws Exception {
        Path dir = NodeProcess.freshTestDir("three-nodes");
        int[] web = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
        int[] tcp = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
        try (NodeProcess n1 = new NodeProcess("n1", dir.resolve("n1-work"), dir, Group.settings(dir, "One", web[0], tcp[0], tcp[1], tcp[2]));
             NodeProcess n2 = new NodeProcess("n2", dir.resolve("n2-work"), dir, Group.settings(dir, "Two", web[1], tcp[1], tcp[0], tcp[2]));
             NodeProcess n3 = new NodeProcess("n3", dir.resolve("n3-work"), dir, Group.settings(dir, "Three", web[2], tcp[2], tcp[0], tcp[1]))) {
            Group.start(n1, List.of(n2, n3));
            List<HttpJson> all = List.of(n1.http(), n2.http(), n3.http());
            List<Thread> senders = List.of(Group.sender(all.get(0), "one", 100), Group.sender(all.get(1), "two", 100),
                    Group.sender(all.get(2), "three", 100));
            for (Thread t : senders) {
                t.join();
            }
            Group.awaitSame(all, 300);

            n3.kill();
            Thread more1 = Group.sender(all.get(0), "one again", 100);
            Thread more2 = Group.sender(all.get(1), "two again", 100);
            more1.join();
            more2.join();
            n3.restart();
            Group.awaitSame(all, 500);
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aRelayOnThePathBetweenTwoNodesSeesNoPlaintext() throws Exception {
        Path dir = NodeProcess.freshTestDir("relayed");
        int[] web = {NodeProcess.freePort(), NodeProcess.freePort()};
        int[] tcp = {NodeProcess.freePort(), NodeProcess.freePort()};
        try (Relay relay = new Relay(tcp[1]);
             NodeProcess a = new NodeProcess("a", dir.resolve("a-work"), dir, Group.settings(dir, "Ann", web[0], tcp[0], relay.port()));
             NodeProcess b = new NodeProcess("b", dir.resolve("b-work"), dir, Group.settings(dir, "Bob", web[1], tcp[1]))) {
            // Bob founds; Ann joins with an invite whose one contact is the relay, so her JOIN crosses it too.
            b.startAndAwaitReady();
            InviteCode invite = RawPeer.parse(Group.invite(b.http()));
            InviteCode.Contact bob = invite.contacts().get(0);
            InviteCode viaRelay = new InviteCode(invite.groupId(), invite.invite(),
                    List.of(new InviteCode.Contact("127.0.0.1", relay.port(), bob.key())), invite.key().secret());
            a.joining(viaRelay.text()).startAndAwaitReady();
            String secretOfA = "ann's secret " + System.nanoTime();
            String secretOfB = "bob's secret " + System.nanoTime();
            assertEquals(201, a.http().sendMessage(secretOfA).status());
            assertEquals(201, b.http().sendMessage(secretOfB).status());
            Group.awaitSame(a.http(), b.http(), 2);
            String seen = relay.seen();
            assertTrue(seen.length() > 1_000, "the link crossed the relay: " + seen.length() + " bytes");
            for (String word : List.of(secretOfA, secretOfB, "secret", "HELLO", "PROOF", "JOIN", "NEW_BLOCK", "SYNC_",
                    invite.invite(), invite.groupId())) {
                assertFalse(seen.contains(word), "the relay read '" + word + "' in plaintext");
            }
        }
    }
}
