package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Rank;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    private static final NodeIdentity NODE = NodeIdentity.generate();
    private static final BlockFactory FACTORY = new BlockFactory(NODE);
    private static final Block ROOT = FACTORY.found("gr😀up", "Ann", Instant.ofEpochMilli(1_700_000_000_123L));
    private static final Block CHILD = FACTORY.write(ROOT.hash(), List.of(OrderKey.of(ROOT, 0)),
            Instant.ofEpochMilli(1_700_000_000_456L), new Body.Message("ab".repeat(Body.SALT_BYTES), "héllo 😀"));
    private static final Block ROLE = FACTORY.write(ROOT.hash(), List.of(OrderKey.of(CHILD, 0)),
            Instant.ofEpochMilli(1_700_000_000_789L), new Body.Role(NodeIdentity.generate().publicKey(), Rank.ADMIN));

    private static String refused(JsonValue json) {
        return assertThrows(FrameException.class, () -> BlockCodec.fromJson(json, Limits.DEFAULT)).getMessage();
    }

    private static JsonObject with(Block block, String field, JsonValue value) {
        return Json.createObjectBuilder(BlockCodec.toJson(block)).add(field, value).build();
    }

    @Test
    void roundTripsEveryFieldThroughAFrame() throws Exception {
        for (Block block : List.of(ROOT, CHILD, ROLE)) {
            Frame frame = new Frame("NEW_BLOCK", Json.createObjectBuilder().add("block", BlockCodec.toJson(block)).build());
            Frame back = Frame.decode(java.util.Arrays.copyOf(frame.encode(), frame.encode().length - 1),
                    java.util.Set.of("NEW_BLOCK"));
            assertEquals(block, BlockCodec.fromJson(back.body().get("block"), Limits.DEFAULT));
        }
    }

    @Test
    void refusesAnythingButExactlyABlock() {
        refused(JsonValue.NULL);
        refused(Json.createArrayBuilder().build());
        refused(Json.createObjectBuilder(BlockCodec.toJson(ROOT)).remove("signature").build());
        refused(Json.createObjectBuilder(BlockCodec.toJson(ROOT)).add("extra", 1).build());
        refused(with(ROOT, "height", Json.createValue("0")));
        refused(with(ROOT, "height", Json.createValue(1.5)));
        refused(with(ROOT, "timestamp", Json.createValue(new java.math.BigInteger("99999999999999999999999"))));
        refused(with(ROOT, "timestamp", Json.createValue(Long.MAX_VALUE)));
        refused(with(ROOT, "author", Json.createValue("not hex")));
        refused(with(ROOT, "parents", Json.createValue("one")));
        refused(with(ROOT, "parents", Json.createArrayBuilder().add(1).build()));
        refused(with(CHILD, "parents", Json.createArrayBuilder().add(ROOT.hash()).add(ROOT.hash()).build()));
        refused(with(CHILD, "kind", Json.createValue("mesage")));
        refused(with(CHILD, "body", Json.createValue("not base64 !")));
        refused(with(CHILD, "group", Json.createValue("ledgerchat")));
    }

    @Test
    void aBodyIsReadOnlyInItsKindsCanonicalForm() {
        // The message's body under the role kind, and a body with a byte too many.
        refused(with(ROLE, "body", BlockCodec.toJson(CHILD).get("body")));
        byte[] longer = java.util.Arrays.copyOf(CHILD.body().encode(), CHILD.body().encode().length + 1);
        refused(with(CHILD, "body", Json.createValue(java.util.Base64.getEncoder().encodeToString(longer))));
    }

    @Test
    void aBodyLongerThanAnyBlockCarriesIsRefusedBeforeItIsDecoded() {
        String huge = "A".repeat(BlockCodec.maxBodyChars(Limits.DEFAULT) + 4);
        String message = refused(with(CHILD, "body", Json.createValue(huge)));
        assertEquals(true, message.contains("longer than any block carries"), message);
    }

    @Test
    void aBlockNamingTenThousandParentsIsRefusedBeforeAnyIsRead() {
        JsonArrayBuilder many = Json.createArrayBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.add("not even a hash " + i);
        }
        String message = refused(with(ROOT, "parents", many.build()));
        assertEquals(true, message.contains("10000 parents"), message);
    }
}
