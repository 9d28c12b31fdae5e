package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.assertRejected;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.flipHex;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Any single-field change to a signed block is detected. */
class BlockTamperTest {
    private static final String P1 = hashOf("tamper-parent-1");
    private static final String P2 = hashOf("tamper-parent-2");
    private static final String P3 = hashOf("tamper-parent-3");
    private static final Instant T = NOW.minusSeconds(10);

    private final BlockVerifier verifier = TestBlocks.verifier();

    /** A valid, signed block at height 4 with two parents at heights 3 and 1. */
    private static Block original() {
        List<OrderKey> heads = List.of(new OrderKey(T.toEpochMilli(), 3, P1), new OrderKey(T.toEpochMilli(), 1, P2));
        return TestBlocks.factory(alice()).create(heads, "alice", T, "the original message");
    }

    private static final Map<String, Long> PARENT_HEIGHTS = Map.of(P1, 3L, P2, 1L, P3, 3L);

    private static Block with(Block b, List<String> parents, long height, String author, String sender,
                              Instant timestamp, String message, String hash, String signature) {
        return new Block(parents, height, author, sender, timestamp, message, hash, signature);
    }

    /** One mutation per record field; each keeps every field well-formed so the Block constructor accepts it. */
    private static Map<String, UnaryOperator<Block>> mutations() {
        Map<String, UnaryOperator<Block>> m = new LinkedHashMap<>();
        m.put("parents", b -> with(b, List.of(P1, P3), b.height(), b.author(), b.sender(), b.timestamp(),
                b.message(), b.hash(), b.signature()));
        m.put("height", b -> with(b, b.parents(), b.height() + 1, b.author(), b.sender(), b.timestamp(),
                b.message(), b.hash(), b.signature()));
        m.put("author", b -> with(b, b.parents(), b.height(), bob().publicKey(), b.sender(), b.timestamp(),
                b.message(), b.hash(), b.signature()));
        m.put("sender", b -> with(b, b.parents(), b.height(), b.author(), "alicf", b.timestamp(),
                b.message(), b.hash(), b.signature()));
        m.put("timestamp", b -> with(b, b.parents(), b.height(), b.author(), b.sender(), b.timestamp().minusMillis(1),
                b.message(), b.hash(), b.signature()));
        m.put("message", b -> with(b, b.parents(), b.height(), b.author(), b.sender(), b.timestamp(),
                "the original messagf", b.hash(), b.signature()));
        m.put("hash", b -> with(b, b.parents(), b.height(), b.author(), b.sender(), b.timestamp(),
                b.message(), flipHex(b.hash(), 10), b.signature()));
        m.put("signature", b -> with(b, b.parents(), b.height(), b.author(), b.sender(), b.timestamp(),
                b.message(), b.hash(), flipHex(b.signature(), 100)));
        return m;
    }

    static Stream<Arguments> singleFieldChanges() {
        return mutations().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void originalIsValid() {
        Block b = original();
        assertDoesNotThrow(() -> verifier.verifyContent(b));
        assertDoesNotThrow(() -> verifier.verifyHeight(b, PARENT_HEIGHTS));
    }

    @Test
    void everyRecordFieldHasAMutation() {
        Set<String> fields = Arrays.stream(Block.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(8, fields.size(), "Block fields changed: " + fields);
        assertEquals(fields, new TreeSet<>(mutations().keySet()));
    }

    @ParameterizedTest(name = "changed {0}")
    @MethodSource("singleFieldChanges")
    void changingOneFieldIsDetected(String field, UnaryOperator<Block> mutation) {
        Block original = original();
        Block changed = mutation.apply(original);
        assertNotEquals(original, changed, "the mutation of " + field + " changed nothing");
        // Exactly one record component differs.
        long differing = Arrays.stream(Block.class.getRecordComponents()).filter(c -> {
            try {
                return !c.getAccessor().invoke(original).equals(c.getAccessor().invoke(changed));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }).count();
        assertEquals(1, differing, field);

        RejectReason expected = field.equals("signature") ? RejectReason.BAD_SIGNATURE : RejectReason.BAD_HASH;
        assertRejected(expected, () -> verifier.verifyContent(changed));
    }

    @Test
    void changedHeightAlsoFailsTheHeightRule() {
        Block changed = mutations().get("height").apply(original());
        assertRejected(RejectReason.WRONG_HEIGHT, () -> verifier.verifyHeight(changed, PARENT_HEIGHTS));
    }

    @Test
    void changedContentRehashedButNotResignedIsBadSignature() {
        Block b = original();
        String message = "a different message";
        String hash = BlockEncoding.hash(TestBlocks.GROUP, b.parents(), b.height(), b.author(), b.sender(),
                b.timestamp(), message);
        Block rehashed = with(b, b.parents(), b.height(), b.author(), b.sender(), b.timestamp(), message, hash,
                b.signature());
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(rehashed));
    }

    @Test
    void authorSwappedAndRehashedIsBadSignature() {
        Block b = original();
        String author = bob().publicKey();
        String hash = BlockEncoding.hash(TestBlocks.GROUP, b.parents(), b.height(), author, b.sender(),
                b.timestamp(), b.message());
        // Signed by alice but claiming bob.
        String signature = alice().sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        Block stolen = with(b, b.parents(), b.height(), author, b.sender(), b.timestamp(), b.message(), hash, signature);
        assertRejected(RejectReason.BAD_SIGNATURE, () -> verifier.verifyContent(stolen));
    }

    @Test
    void sameBlockUnderAnotherGroupIsBadHash() {
        Block b = original();
        BlockVerifier other = new BlockVerifier(TestBlocks.GROUP + "-2", Limits.DEFAULT, TestBlocks.CLOCK);
        assertRejected(RejectReason.BAD_HASH, () -> other.verifyContent(b));
        BlockVerifier caseChanged = new BlockVerifier(TestBlocks.GROUP.toUpperCase(), Limits.DEFAULT, TestBlocks.CLOCK);
        assertRejected(RejectReason.BAD_HASH, () -> caseChanged.verifyContent(b));
    }
}
