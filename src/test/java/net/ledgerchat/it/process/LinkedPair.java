package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.ledgerchat.it.support.HttpJson;

/**
 * Two real nodes that list each other as peers: A, the one a test attacks, and B, its real peer. Holds
 * what a judge checks on A after an attack: its ledger unchanged, its log naming the reason, and its
 * link to B still carrying messages both ways.
 */
final class LinkedPair implements AutoCloseable {
    /** A message sent on one node must reach the other within this; so must a log line or a stored block. */
    static final Duration DELIVERY = Duration.ofSeconds(10);
    private final NodeProcess a;
    private final NodeProcess b;
    private final HttpJson ha;
    private final HttpJson hb;
    private final int tcpA;

    /** A's ledger as its status reports it: equal snapshots mean nothing was stored in between. */
    record Ledger(long blocks, List<String> heads) {
    }

    private LinkedPair(NodeProcess a, NodeProcess b, int tcpA) {
        this.a = a;
        this.b = b;
        this.ha = a.http();
        this.hb = b.http();
        this.tcpA = tcpA;
    }

    /** Boots A, who founds a group, and B with A's invite, A with {@code maxClientsOfA}; waits until they agree. */
    static LinkedPair start(String testName, int maxClientsOfA) throws IOException, InterruptedException {
        Path dir = NodeProcess.freshTestDir(testName);
        int tcpA = NodeProcess.freePort();
        int tcpB = NodeProcess.freePort();
        NodeProcess a = new NodeProcess("a", dir.resolve("a-work"), dir,
                settings(dir, "Ann", tcpA, tcpB, maxClientsOfA));
        NodeProcess b = new NodeProcess("b", dir.resolve("b-work"), dir, settings(dir, "Bob", tcpB, tcpA, 10));
        LinkedPair pair = new LinkedPair(a, b, tcpA);
        try {
            Group.start(a, List.of(b));
            assertEquals(201, pair.ha.sendMessage("before the attacks, from A").status());
            assertEquals(201, pair.hb.sendMessage("before the attacks, from B").status());
            LedgerView.awaitSame(List.of(pair.ha, pair.hb), 2, Duration.ofSeconds(60));
            pair.assertBLinkedToA();
            return pair;
        } catch (RuntimeException | Error | InterruptedException e) {
            pair.close();
            throw e;
        }
    }

    private static Map<String, String> settings(Path dir, String name, int tcp, int peerTcp,
                                                int maxClients) throws IOException {
        Path peers = dir.resolve(name + "-peers.json");
        Files.writeString(peers, "{\"peers\":[{\"ip\":\"127.0.0.1\",\"port\":" + peerTcp + "}]}");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_DIR", dir.resolve(name + "-data").toString());
        env.put("WEB_PORT", Integer.toString(NodeProcess.freePort()));
        env.put("TCP_SERVER_PORT", Integer.toString(tcp));
        env.put("CLIENT_NAME", name);
        env.put("PEERS_FILE", peers.toString());
        env.put("MAX_CLIENTS", Integer.toString(maxClients));
        env.put("SYNC_INTERVAL", "2");
        env.put("RETRY_DELAY", "1");
        return env;
    }

    /** The group both belong to: A's genesis hash. */
    String group() {
        return ha.get("/api/node").json().getString("groupId");
    }

    HttpJson a() {
        return ha;
    }

    HttpJson b() {
        return hb;
    }

    int peerPortOfA() {
        return tcpA;
    }

    Ledger ledgerOfA() {
        return new Ledger(LedgerView.blockCount(ha), LedgerView.heads(ha));
    }

    /** A's block count and heads are what they were, and neither node holds any of {@code hashes}. */
    void assertNothingStored(Ledger before, String... hashes) {
        assertEquals(before, ledgerOfA(), "A's block count and heads changed");
        for (HttpJson node : List.of(ha, hb)) {
            Set<String> stored = LedgerView.blockHashes(node);
            for (String hash : hashes) {
                assertFalse(stored.contains(hash), "the attack's block " + hash + " was stored");
            }
        }
    }

    /** A's log gets a [TCP] line holding every one of {@code parts}. */
    void assertLoggedByA(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (System.nanoTime() < deadline) {
            if (a.logLines().stream().anyMatch(line -> line.contains("[TCP]") && Stream.of(parts).allMatch(line::contains))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("A logged no [TCP] line with " + Arrays.toString(parts) + "; its [TCP] lines:\n"
                + String.join("\n", a.logLines().stream().filter(l -> l.contains("[TCP]")).toList()));
    }

    /** A message sent on B reaches A, and one sent on A reaches B. */
    void exchangeMessages(String when) throws InterruptedException {
        String fromB = "from B " + when;
        String fromA = "from A " + when;
        assertEquals(201, hb.sendMessage(fromB).status());
        assertEquals(201, ha.sendMessage(fromA).status());
        LedgerView.awaitMessage(ha, fromB, DELIVERY);
        LedgerView.awaitMessage(hb, fromA, DELIVERY);
    }

    /** {@code GET /api/peers} on A shows B, by its key, as connected. */
    void assertBLinkedToA() throws InterruptedException {
        String keyOfB = keyOf(hb);
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        JsonObject peers = null;
        while (System.nanoTime() < deadline) {
            peers = ha.get("/api/peers").json();
            if (peers.getJsonArray("peers").stream().map(JsonValue::asJsonObject)
                    .anyMatch(p -> p.getBoolean("connected") && keyOfB.equals(p.getString("key", "")))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("A does not show B connected: " + peers);
    }

    /**
     * How often A has logged a link with B coming up: a flood that knocked B off and let it back in would pass
     * a delivery check, but not an unchanged count. A link that comes up is logged as "Linked with", or, when
     * both nodes dialled, as "Two links to" (both can be, when the two links come up at the same moment).
     */
    long linkUpsWithB() {
        String key = keyOf(hb);
        String linked = "[TCP] Linked with Bob (" + key + ")";
        String crossed = "[TCP] Two links to " + key;
        return a.logLines().stream().filter(l -> l.contains(linked) || l.contains(crossed)).count();
    }

    static String keyOf(HttpJson node) {
        return node.get("/api/node").json().getString("key");
    }

    static void awaitStored(HttpJson node, String hash) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!LedgerView.blockHashes(node).contains(hash)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("block " + hash + " was not stored within " + DELIVERY.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Kills both processes, B even if killing A fails. */
    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}
