package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real nodes (the uber-jar) that each list the other in their peers file, so both dial: they keep one
 * link, exchange what each sent, show the identical ordered list and equal heads; one is killed with
 * kill -9 while the other goes on, and catches up after its restart.
 */
class PeersIT {
    private static final int EACH = 20;

    private static Map<String, String> settings(Path dir, String name, int web, int tcp, int peerTcp) throws Exception {
        Path peers = dir.resolve(name + "-peers.json");
        Files.writeString(peers, "{\"peers\":[{\"ip\":\"127.0.0.1\",\"port\":" + peerTcp + "}]}");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_DIR", dir.resolve(name + "-data").toString());
        env.put("WEB_PORT", Integer.toString(web));
        env.put("TCP_SERVER_PORT", Integer.toString(tcp));
        env.put("CLIENT_NAME", name);
        env.put("PEERS_FILE", peers.toString());
        env.put("SYNC_INTERVAL", "2");
        env.put("RETRY_DELAY", "1");
        return env;
    }

    private static List<String> ids(HttpJson http) {
        JsonObject page = http.get("/api/messages?limit=500").json();
        List<String> ids = new ArrayList<>();
        for (JsonValue m : page.getJsonArray("messages")) {
            ids.add(m.asJsonObject().getString("id"));
        }
        return ids;
    }

    private static List<String> heads(HttpJson http) {
        return http.get("/api/ledger").json().getJsonArray("heads").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    private static void awaitSame(HttpJson a, HttpJson b, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> ia = ids(a);
            if (ia.size() == count && ia.equals(ids(b)) && heads(a).equals(heads(b))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no convergence on " + count + " messages: " + ids(a).size() + " vs " + ids(b).size());
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoNodesConvergeAndACrashedOneCatchesUp() throws Exception {
        Path dir = NodeProcess.freshTestDir("peers");
        int webA = NodeProcess.freePort();
        int tcpA = NodeProcess.freePort();
        int webB = NodeProcess.freePort();
        int tcpB = NodeProcess.freePort();
        try (NodeProcess a = new NodeProcess("a", dir.resolve("a-work"), dir, settings(dir, "Ann", webA, tcpA, tcpB));
             NodeProcess b = new NodeProcess("b", dir.resolve("b-work"), dir, settings(dir, "Bob", webB, tcpB, tcpA))) {
            a.start();
            b.startAndAwaitReady();
            a.awaitReady();
            HttpJson ha = a.http();
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
            awaitSame(ha, hb, 2 * EACH);

            JsonObject peersOfA = ha.get("/api/peers").json();
            JsonObject first = peersOfA.getJsonArray("peers").getJsonObject(0);
            assertTrue(first.getBoolean("connected"), peersOfA.toString());
            assertEquals(hb.get("/api/node").json().getString("key"), first.getString("key"));
            assertEquals(1, new HashSet<>(peersOfA.getJsonArray("peers").stream()
                    .map(p -> p.asJsonObject().get("key").toString()).toList()).size(), "one link per pair: " + peersOfA);

            b.kill();
            for (int i = 0; i < 10; i++) {
                assertEquals(201, ha.sendMessage("while bob was down " + i).status());
            }
            b.restart();
            awaitSame(ha, hb, 2 * EACH + 10);
        }
    }
}
