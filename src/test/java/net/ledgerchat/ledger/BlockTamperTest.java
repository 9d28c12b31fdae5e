package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.assertRejected;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.flipHex;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Any single change to a signed block, to a header field, its body, hash or signature, is detected. */
class BlockTamperTest {
    private static final String P1 = hashOf("tamper-parent-1");
    private static final String P2 = hashOf("tamper-parent-2");
    private static final String P3 = hashOf("tamper-parent-3");
    private static final Instant T = NOW.minusSeconds(10);
    private static final Map<String, Long> PARENT_HEIGHTS = Map.of(P1, 3L, P2, 1L, P3, 3L);

    private final BlockVerifier verifier = TestBlocks.verifier();

    /**
     * A valid, signed block at height 4 with two parents at heights 3 and 1. A {@code remove}: its body has the same
     * bytes as a {@code revoke}'s, so even the kind can be changed alone, the body's digest staying the same.
     */
    private static Block original() {
        List<OrderKey> heads = List.of(new OrderKey(T.toEpochMilli(), 3, P1), new OrderKey(T.toEpochMilli(), 1, P2));
        return new BlockFactory(alice()).write(GROUP, heads, T, new Body.Remove(bob().publicKey()));
    }

    /** The block with its header changed by {@code change}, under the original body, hash and signature. */
    private static UnaryOperator<Block> header(UnaryOperator<Header> change) {
        return b -> new Block(change.apply(b.header()), b.body(), b.hash(), b.signature());
    }

    private static Header with(Header h, String group, List<String> parents, long height, String author, Instant timestamp,
                               Kind kind, String bodyDigest) {
        return new Header(group, parents, height, author, timestamp, kind, bodyDigest);
    }

    /** One change per signed field, each well-formed so the constructors accept it, and the rule that catches it. */
    private static Map<String, Tamper> tampers() {
        Map<String, Tamper> m = new LinkedHashMap<>();
        m.put("group", new Tamper(RejectReason.WRONG_GROUP, header(h -> with(h, hashOf("another group"), h.parents(),
                h.height(), h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
        m.put("parents", new Tamper(RejectReason.BAD_HASH, header(h -> with(h, h.group(), List.of(P1, P3), h.height(),
                h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
        m.put("height", new Tamper(RejectReason.BAD_HASH, header(h -> with(h, h.group(), h.parents(), h.height() + 1,
                h.author(), h.timestamp(), h.kind(), h.bodyDigest()))));
        m.put("author", new Tamper(RejectReason.BAD_HASH, header(h -> with(h, h.group(), h.parents(), h.height(),
                bob().publicKey(), h.timestamp(), h.kind(), h.bodyDigest()))));
        m.put("timestamp", new Tamper(RejectReason.BAD_HASH, header(h -> with(h, h.group(), h.parents(), h.height(),
                h.author(), h.timestamp().minusMillis(1), h.kind(), h.bodyDigest()))));
        m.put("kind", new Tamper(RejectReason.BAD_HASH, b -> new Block(with(b.header(), b.header().group(), b.parents(),
                b.height(), b.author(), b.timestamp(), Kind.REVOKE, b.header().bodyDigest()),
                new Body.Revoke(b.body(Body.Remove.class).member()), b.hash(), b.signature())));
        m.put("bodyDigest", new Tamper(RejectReason.BODY_MISMATCH, header(h -> with(h, h.group(), h.parents(), h.height(),
                h.author(), h.timestamp(), h.kind(), flipHex(h.bodyDigest(), 10)))));
        m.put("body", new Tamper(RejectReason.BODY_MISMATCH, b -> new Block(b.header(), new Body.Remove(flipHex(
                b.body(Body.Remove.class).member(), 10)), b.hash(), b.signature())));
        m.put("hash", new Tamper(RejectReason.BAD_HASH, b -> new Block(b.header(), b.body(), flipHex(b.hash(), 10),
                b.signature())));
        m.put("signature", new Tamper(RejectReason.BAD_SIGNATURE, b -> new Block(b.header(), b.body(), b.hash(),
                flipHex(b.signature(), 100))));
        return m;
    }

    private record Tamper(RejectReason caughtBy, UnaryOperator<Block> change) {
    }

    static Stream<Arguments> singleFieldChanges() {
        return tampers().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** What a block's hash and signature stand for, field by field: the header's fields and the body's bytes. */
    private static Map<String, Object> signedFields(Block b) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent c : Header.class.getRecordComponents()) {
            fields.put(c.getName(), value(c, b.header()));
        }
        fields.put("body", Arrays.toString(b.body().encode()));
        fields.put("hash", b.hash());
        fields.put("signature", b.signature());
        return fields;
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void originalIsValid() {
        Block b = original();
        assertDoesNotThrow(() -> verifier.verify(b));
        assertDoesNotThrow(() -> verifier.verifyHeight(b, PARENT_HEIGHTS));
    }

    @Test
    void everySignedFieldHasATamper() {
        // A new header field or Block component without a tamper here would go untested.
        assertEquals(7, Header.class.getRecordComponents().length, "Header fields changed");
        assertEquals(List.of("header", "body", "hash", "signature"),
                Arrays.stream(Block.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertEquals(new TreeSet<>(signedFields(original()).keySet()), new TreeSet<>(tampers().keySet()));
    }

    @ParameterizedTest(name = "changed {0}")
    @MethodSource("singleFieldChanges")
    void changingOneFieldIsDetected(String field, Tamper tamper) {
        Block original = original();
        Block changed = tamper.change().apply(original);
        Map<String, Object> before = signedFields(original);
        Map<String, Object> after = signedFields(changed);
        Set<String> differing = new TreeSet<>();
        for (String name : before.keySet()) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                differing.add(name);
            }
        }
        assertEquals(Set.of(field), differing, "the tamper must change exactly " + field);
        assertRejected(tamper.caughtBy(), () -> verifier.verify(changed));
    }

    @Test
    void changedHeightAlsoFailsTheHeightRule() {
        Block changed = tampers().get("height").change().apply(original());
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(changed, PARENT_HEIGHTS));
    }

    @Test
    void changedBodyWithItsDigestAndHashRecomputedIsBadSignature() {
        Block b = original();
        Body body = new Body.Remove(alice().publicKey());
        Header header = TestBlocks.header(b.header().group(), b.parents(), b.height(), b.author(), b.timestamp(), body);
        Block rehashed = new Block(header, body, header.hash(), b.signature());
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verify(rehashed));
    }

    @Test
    void theSameBlockUnderAnotherGroupIsWrongGroup() {
        BlockVerifier other = new BlockVerifier(hashOf("another group"), Limits.DEFAULT, TestBlocks.CLOCK);
        assertRejected(RejectReason.WRONG_GROUP, () -> other.verify(original()));
    }
}
