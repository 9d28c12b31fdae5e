package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.ledgerchat.it.support.HttpJson;

/** What the multi-node ITs share: settings for linked nodes, what a node lists, waiting until nodes agree. */
public final class Group {
    private Group() {
    }

    public static Map<String, String> settings(Path dir, String name, int web, int tcp, int... peerTcp) throws Exception {
        Path peers = dir.resolve(name + "-peers.json");
        List<String> entries = new ArrayList<>();
        for (int port : peerTcp) {
            entries.add("{\"ip\":\"127.0.0.1\",\"port\":" + port + "}");
        }
        Files.writeString(peers, "{\"peers\":[" + String.join(",", entries) + "]}");
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

    /** An invite made by {@code member} ({@code POST /api/invites}), as the code a joiner's INVITE takes. */
    public static String invite(HttpJson member) {
        HttpJson.Reply reply = member.post("/api/invites", "{}");
        assertEquals(201, reply.status(), "no invite: " + reply.body());
        return reply.json().getString("code");
    }

    /**
     * Starts {@code founder} (which founds the group), then every other node with an invite the founder made for
     * it, all at once, and waits until all are ready.
     */
    public static void start(NodeProcess founder, List<NodeProcess> joiners) {
        founder.startAndAwaitReady();
        for (NodeProcess joiner : joiners) {
            joiner.joining(invite(founder.http())).start();
        }
        joiners.forEach(NodeProcess::awaitReady);
    }

    public static List<String> ids(HttpJson http) {
        JsonObject page = http.get("/api/messages?limit=500").json();
        List<String> ids = new ArrayList<>();
        for (JsonValue m : page.getJsonArray("messages")) {
            ids.add(m.asJsonObject().getString("id"));
        }
        return ids;
    }

    static List<String> heads(HttpJson http) {
        return http.get("/api/ledger").json().getJsonArray("heads").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    public static void awaitSame(HttpJson a, HttpJson b, int count) throws InterruptedException {
        awaitSame(List.of(a, b), count);
    }

    /** Every node lists the same {@code count} messages in the same order and reports the same heads. */
    public static void awaitSame(List<HttpJson> nodes, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        List<Integer> sizes = List.of();
        while (System.currentTimeMillis() < deadline) {
            List<List<String>> lists = nodes.stream().map(Group::ids).toList();
            List<List<String>> heads = nodes.stream().map(Group::heads).toList();
            sizes = lists.stream().map(List::size).toList();
            if (lists.get(0).size() == count && lists.stream().allMatch(lists.get(0)::equals)
                    && heads.stream().allMatch(heads.get(0)::equals)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no convergence on " + count + " messages; the nodes list " + sizes);
    }

    /** {@code count} messages through {@code node}'s REST API, each acknowledged with 201. */
    static Thread sender(HttpJson node, String prefix, int count) {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                assertEquals(201, node.sendMessage(prefix + " " + i).status());
            }
        }, "send " + prefix);
        thread.start();
        return thread;
    }
}
