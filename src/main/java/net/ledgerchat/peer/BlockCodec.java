package net.ledgerchat.peer;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Limits;

/**
 * A block in a peer frame: every field of DESIGN section 2, the timestamp as epoch milliseconds. Reading
 * is strict and cheap to refuse: exactly these fields with these types, and no more parents than a block
 * may name, checked before anything is built (a block naming 10,000 parents is refused, not parsed).
 * Whether the block is true (hash, signature, height) is the verifier's question, not this one's.
 */
public final class BlockCodec {
    private static final Set<String> FIELDS = Set.of("hash", "parents", "height", "author", "sender", "timestamp",
            "message", "signature");

    private BlockCodec() {
    }

    public static JsonObject toJson(Block block) {
        JsonArrayBuilder parents = JsonP.PROVIDER.createArrayBuilder();
        block.parents().forEach(parents::add);
        return JsonP.PROVIDER.createObjectBuilder().add("hash", block.hash()).add("parents", parents).add("height", block.height())
                .add("author", block.author()).add("sender", block.sender())
                .add("timestamp", block.timestamp().toEpochMilli()).add("message", block.message())
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
        try {
            return new Block(parents, number(json, "height"), text(json, "author"), text(json, "sender"),
                    Instant.ofEpochMilli(number(json, "timestamp")), text(json, "message"), text(json, "hash"),
                    text(json, "signature"));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw malformed(e.getMessage());
        }
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
