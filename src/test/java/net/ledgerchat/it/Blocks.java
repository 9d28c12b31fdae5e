package net.ledgerchat.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;

/** Plays another node: makes blocks under its own key, honest or broken in one chosen way. */
public final class Blocks {
    private final HttpJson api;
    private final String groupId;
    private final NodeIdentity identity = NodeIdentity.generate();
    private final NodeIdentity stranger = NodeIdentity.generate();
    private final Map<String, Long> heights = new HashMap<>();

    public Blocks(HttpJson api) {
        this.api = api;
        this.groupId = api.get("/api/node").json().getString("groupId");
    }

    Block follow(List<String> parents, String text) {
        return withTimestamp(parents, Instant.now(), text);
    }

    public Block withTimestamp(List<String> parents, Instant timestamp, String... text) {
        long height = 0;
        for (String parent : parents) {
            height = Math.max(height, heightOf(parent) + 1);
        }
        Block block = make(parents, height, timestamp.truncatedTo(ChronoUnit.MILLIS), text.length == 0 ? "late" : text[0], identity);
        heights.put(block.hash(), height);
        return block;
    }

    Block tamperedHash(Block b) {
        String hash = (b.hash().charAt(0) == '0' ? "1" : "0") + b.hash().substring(1);
        return new Block(b.parents(), b.height(), b.author(), b.sender(), b.timestamp(), b.message(), hash,
                identity.sign(Hex.decode(hash, 32, "hash")));
    }

    Block forgedSignature(Block b) {
        Block fresh = make(b.parents(), b.height(), b.timestamp(), b.message() + " (forged)", identity);
        return new Block(fresh.parents(), fresh.height(), fresh.author(), fresh.sender(), fresh.timestamp(), fresh.message(),
                fresh.hash(), stranger.sign(Hex.decode(fresh.hash(), 32, "hash")));
    }

    Block wrongHeight(Block b) {
        return make(b.parents(), b.height() + 5, b.timestamp(), b.message() + " (tall)", identity);
    }

    public HttpJson.Reply offer(Block block) {
        return api.post("/api/ledger/blocks", toJson(block).toString());
    }

    static JsonObject toJson(Block b) {
        var parents = Json.createArrayBuilder();
        b.parents().forEach(parents::add);
        return Json.createObjectBuilder().add("hash", b.hash()).add("parents", parents).add("height", b.height())
                .add("author", b.author()).add("sender", b.sender()).add("timestamp", b.timestamp().toString())
                .add("message", b.message()).add("signature", b.signature()).build();
    }

    static Block fromJson(JsonObject o) {
        List<String> parents = o.getJsonArray("parents").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        return new Block(parents, o.getJsonNumber("height").longValue(), o.getString("author"), o.getString("sender"),
                Instant.parse(o.getString("timestamp")), o.getString("message"), o.getString("hash"), o.getString("signature"));
    }

    private Block make(List<String> parents, long height, Instant ts, String text, NodeIdentity signer) {
        List<String> sorted = parents.stream().sorted().toList();
        String hash = BlockEncoding.hash(groupId, sorted, height, signer.publicKey(), "Peer", ts, text);
        return new Block(sorted, height, signer.publicKey(), "Peer", ts, text, hash, signer.sign(Hex.decode(hash, 32, "hash")));
    }

    private long heightOf(String hash) {
        Long known = heights.get(hash);
        if (known != null) {
            return known;
        }
        String after = null;
        while (true) {
            JsonObject page = api.get("/api/ledger/blocks?limit=500" + (after == null ? "" : "&after=" + after)).json();
            var blocks = page.getJsonArray("blocks").getValuesAs(JsonObject.class);
            if (blocks.isEmpty()) {
                throw new IllegalStateException("no block " + hash + " on the node");
            }
            for (JsonObject b : blocks) {
                heights.put(b.getString("hash"), b.getJsonNumber("height").longValue());
            }
            if (heights.containsKey(hash)) {
                return heights.get(hash);
            }
            after = page.getString("after");
        }
    }
}
