package net.ledgerchat.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.ledgerchat.it.process.RawPeer;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * Plays another member of the node's group: joins it first (an invite the node makes, presented over the peer
 * protocol as a joining node does), then makes messages under its own key, honest or broken in one chosen way.
 */
public final class Blocks {
    private final HttpJson api;
    private final String groupId;
    private final NodeIdentity identity;
    private final NodeIdentity stranger = NodeIdentity.generate();
    private final Map<String, Long> heights = new HashMap<>();

    public Blocks(HttpJson api) {
        this.api = api;
        this.identity = NodeIdentity.generate();
        JsonObject node = api.get("/api/node").json();
        this.groupId = node.getString("groupId");
        try {
            RawPeer.joinAs(identity, "Peer", node.getInt("tcpPort"), invite(api), groupId, Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new UncheckedIOException("could not join the node's group", e);
        }
    }

    private Blocks(HttpJson api, Blocks member) {
        this.api = api;
        this.groupId = member.groupId;
        this.identity = member.identity;
        this.heights.putAll(member.heights);
    }

    /** The same member speaking to {@code other}, the same node under another address (no second admit). */
    public Blocks on(HttpJson other) {
        return new Blocks(other, this);
    }

    private static String invite(HttpJson api) {
        HttpJson.Reply reply = api.post("/api/invites", "{}");
        if (reply.status() != 201) {
            throw new AssertionError("the node made no invite: " + reply.status() + " " + reply.body());
        }
        return reply.json().getString("code");
    }

    Block follow(List<String> parents, String text) {
        return withTimestamp(parents, Instant.now(), text);
    }

    public Block withTimestamp(List<String> parents, Instant timestamp, String... text) {
        List<OrderKey> keys = parents.stream().map(p -> new OrderKey(0, heightOf(p), p)).toList();
        Block block = new BlockFactory(identity).write(groupId, keys, timestamp.truncatedTo(ChronoUnit.MILLIS),
                message(text.length == 0 ? "late" : text[0]));
        heights.put(block.hash(), block.height());
        return block;
    }

    Block tamperedHash(Block b) {
        String hash = (b.hash().charAt(0) == '0' ? "1" : "0") + b.hash().substring(1);
        return new Block(b.header(), b.body(), hash, identity.sign(Hex.decode(hash, 32, "hash")));
    }

    Block forgedSignature(Block b) {
        Body edited = message(b.body(Body.Message.class).text() + " (forged)");
        Header header = new Header(groupId, b.parents(), b.height(), b.author(), b.timestamp(), b.kind(), edited.digest());
        return new Block(header, edited, header.hash(), stranger.sign(Hex.decode(header.hash(), 32, "hash")));
    }

    Block wrongHeight(Block b) {
        Header header = new Header(groupId, b.parents(), b.height() + 5, b.author(), b.timestamp(), b.kind(),
                b.header().bodyDigest());
        return new Block(header, b.body(), header.hash(), identity.sign(Hex.decode(header.hash(), 32, "hash")));
    }

    public HttpJson.Reply offer(Block block) {
        return api.post("/api/ledger/blocks", toJson(block).toString());
    }

    /** As {@code GET /api/ledger/blocks} lists a block and {@code POST} takes one. */
    public static JsonObject toJson(Block b) {
        var parents = Json.createArrayBuilder();
        b.parents().forEach(parents::add);
        return Json.createObjectBuilder().add("hash", b.hash()).add("group", b.header().group()).add("parents", parents)
                .add("height", b.height()).add("author", b.author()).add("timestamp", b.timestamp().toString())
                .add("kind", b.kind().wireName()).add("body", Base64.getEncoder().encodeToString(b.body().encode()))
                .add("signature", b.signature()).build();
    }

    static Block fromJson(JsonObject o) {
        List<String> parents = o.getJsonArray("parents").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        Kind kind = Kind.ofWireName(o.getString("kind"));
        Body body = Body.decode(kind, Base64.getDecoder().decode(o.getString("body")), Limits.DEFAULT);
        Header header = new Header(o.getString("group"), parents, o.getJsonNumber("height").longValue(), o.getString("author"),
                Instant.parse(o.getString("timestamp")), kind, body.digest());
        return new Block(header, body, o.getString("hash"), o.getString("signature"));
    }

    private static Body.Message message(String text) {
        byte[] salt = new byte[Body.SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return new Body.Message(Hex.encode(salt), text);
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
