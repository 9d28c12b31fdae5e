package net.ledgerchat.peer;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Limits;

/**
 * A block in a peer frame: the header's fields (DESIGN section 7, the timestamp as epoch milliseconds, the kind
 * by its wire name), the body as Base64 of its canonical encoding, hash and signature. Reading is strict and
 * cheap to refuse: exactly these fields with these types, no more parents than a block may name and no body
 * longer than the largest a block may carry, checked before anything is built. Whether the block is true
 * (digest, hash, signature, height) is the verifier's question, not this one's.
 */
public final class BlockCodec {
    private static final Set<String> FIELDS = Set.of("hash", "group", "parents", "height", "author", "timestamp",
            "kind", "body", "signature");
    /** Lengths, salt, keys, hashes and a proof around the texts: far more than any body needs beside them. */
    private static final int BODY_OVERHEAD = 512;

    private BlockCodec() {
    }

    public static JsonObject toJson(Block block) {
        JsonArrayBuilder parents = JsonP.PROVIDER.createArrayBuilder();
        block.parents().forEach(parents::add);
        return JsonP.PROVIDER.createObjectBuilder().add("hash", block.hash()).add("group", block.header().group())
                .add("parents", parents).add("height", block.height()).add("author", block.author())
                .add("timestamp", block.timestamp().toEpochMilli()).add("kind", block.kind().wireName())
                .add("body", Base64.getEncoder().encodeToString(block.body().encode()))
                .add("signature", block.signature()).build();
    }

    public static Block fromJson(JsonValue value, Limits limits) throws FrameException {
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw malformed("a block must be a JSON object");
        }
        JsonObject json = value.asJsonObject();
        if (!json.keySet().equals(FIELDS)) {
            throw malformed("a block has exactly the fields " + FIELDS);
        }
        JsonValue parentsValue = json.get("parents");
        if (parentsValue.getValueType() != JsonValue.ValueType.ARRAY) {
            throw malformed("parents must be a list");
        }
        JsonArray parentArray = parentsValue.asJsonArray();
        if (parentArray.size() > limits.maxParents()) {
            throw malformed("a block names " + parentArray.size() + " parents; at most " + limits.maxParents());
        }
        List<String> parents = new ArrayList<>(parentArray.size());
        for (JsonValue parent : parentArray) {
            if (!(parent instanceof JsonString s)) {
                throw malformed("a parent must be a hash");
            }
            parents.add(s.getString());
        }
        String body = text(json, "body");
        if (body.length() > maxBodyChars(limits)) {
            throw malformed("a body of " + body.length() + " Base64 characters is longer than any block carries");
        }
        try {
            Kind kind = Kind.ofWireName(text(json, "kind"));
            Body decoded = Body.decode(kind, Base64.getDecoder().decode(body), limits);
            // The digest is not sent: it is the body's, and the hash covers it.
            Header header = new Header(text(json, "group"), parents, number(json, "height"), text(json, "author"),
                    Instant.ofEpochMilli(number(json, "timestamp")), kind, decoded.digest());
            return new Block(header, decoded, text(json, "hash"), text(json, "signature"));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The Base64 length of the largest body: the longest message beside the fixed fields, with room to spare. */
    static int maxBodyChars(Limits limits) {
        int bytes = Math.max(limits.maxMessageBytes(), 2 * limits.maxSenderBytes()) + BODY_OVERHEAD;
        return 4 * ((bytes + 2) / 3);
    }

    private static String text(JsonObject json, String field) throws FrameException {
        return JsonFields.text(json, field, "malformed block: ");
    }

    private static long number(JsonObject json, String field) throws FrameException {
        return JsonFields.wholeNumber(json, field, "malformed block: ");
    }

    private static FrameException malformed(String detail) {
        return new FrameException(FrameException.Reason.MALFORMED, "malformed block: " + detail);
    }
}
