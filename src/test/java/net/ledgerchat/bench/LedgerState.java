package net.ledgerchat.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import net.ledgerchat.it.support.HttpJson;

/** A node's ledger as {@code GET /api/ledger} shows it: the block count and the sorted head hashes. */
record LedgerState(long blocks, List<String> heads) {
    LedgerState {
        heads = List.copyOf(heads);
    }

    static LedgerState of(HttpJson http) {
        HttpJson.Reply reply = http.get("/api/ledger");
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /api/ledger answered " + reply.status() + ": " + reply.body());
        }
        JsonObject json = reply.json();
        List<String> heads = json.getJsonArray("heads").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).sorted().toList();
        return new LedgerState(json.getJsonNumber("blocks").longValue(), heads);
    }

    /** How many of the node's configured or linked peers {@code GET /api/peers} shows as connected. */
    static int connectedPeers(HttpJson http) {
        HttpJson.Reply reply = http.get("/api/peers");
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /api/peers answered " + reply.status() + ": " + reply.body());
        }
        int connected = 0;
        for (JsonValue peer : reply.json().getJsonArray("peers")) {
            if (peer.asJsonObject().getBoolean("connected", false)) {
                connected++;
            }
        }
        return connected;
    }

    String shortHeads() {
        return heads.size() + " head(s) " + heads.stream().map(h -> h.substring(0, 12)).toList();
    }
}
