package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape checks of {@link Header} and {@link Block} (what their constructors refuse), and the header's byte layout.
 * Whether a well-shaped block is true is {@link BlockVerifierTest}'s business.
 */
class BlockTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");
    private static final String KEY = "11".repeat(32);
    private static final String HASH = "22".repeat(32);
    private static final String SIG = "3c".repeat(64);
    private static final Body BODY = message("message");

    private static Header header(String group, List<String> parents, long height, String author, Instant ts) {
        return TestBlocks.header(group, parents, height, author, ts, BODY);
    }

    private static Header header(List<String> parents) {
        return header(GROUP, parents, 1, KEY, NOW);
    }

    @Test
    void onlyTheGenesisKindIsTheGenesis() {
        Block message = new Block(header(List.of(A)), BODY, HASH, SIG);
        assertFalse(message.isGenesis());
        Body genesis = new Body.Genesis("group", "founder");
        Header founding = TestBlocks.header("", List.of(), 0, KEY, NOW, genesis);
        assertTrue(new Block(founding, genesis, HASH, SIG).isGenesis());
        // Having no parents does not make a message a genesis: the verifier refuses it (WRONG_HEIGHT), not mistakes it.
        assertFalse(header(List.of()).isGenesis());
    }

    @Test
    void unsortedParentsAreSorted() {
        List<String> expected = new ArrayList<>(List.of(A, B, C));
        Collections.sort(expected);
        List<String> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertEquals(expected, header(reversed).parents());
        assertEquals(header(expected), header(reversed));
        assertEquals(header(expected).hash(), header(reversed).hash());
    }

    @Test
    void parentsAreCopiedAndImmutable() {
        List<String> parents = new ArrayList<>(List.of(A));
        Header h = header(parents);
        parents.add(B);
        assertEquals(List.of(A), h.parents());
        assertThrows(UnsupportedOperationException.class, () -> h.parents().add(C));
    }

    @Test
    void duplicateParentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> header(List.of(A, B, A)));
        assertThrows(IllegalArgumentException.class, () -> header(List.of(A, A)));
    }

    @Test
    void badHexIsRefused() {
        String upper = KEY.toUpperCase().replace('1', 'A');
        for (String bad : new String[] {null, "", "11", KEY + "11", "1".repeat(63), "g".repeat(64), "AB".repeat(32), upper,
                " " + "1".repeat(63)}) {
            assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(A), 1, bad, NOW), "author " + bad);
            assertThrows(IllegalArgumentException.class,
                    () -> new Header(GROUP, List.of(A), 1, KEY, NOW, Kind.MESSAGE, bad), "body digest " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Block(header(List.of(A)), BODY, bad, SIG), "hash " + bad);
            if (bad != null) {
                assertThrows(IllegalArgumentException.class, () -> header(List.of(bad)), "parent " + bad);
            }
            if (bad != null && !bad.isEmpty()) {
                assertThrows(IllegalArgumentException.class, () -> header(bad, List.of(A), 1, KEY, NOW), "group " + bad);
            }
        }
        // The empty group is the genesis's; a bad group id is never mistaken for it.
        assertDoesNotThrow(() -> header("", List.of(), 0, KEY, NOW));
        // A signature must be 64 bytes: a 32-byte one, upper case or none is refused.
        Header h = header(List.of(A));
        assertThrows(IllegalArgumentException.class, () -> new Block(h, BODY, HASH, HASH));
        assertThrows(IllegalArgumentException.class, () -> new Block(h, BODY, HASH, SIG.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> new Block(h, BODY, HASH, null));
        // A 64-byte hex string is not a 32-byte hash.
        assertThrows(IllegalArgumentException.class, () -> new Block(h, BODY, SIG, SIG));
    }

    @Test
    void subMillisecondTimestampIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(A), 1, KEY, NOW.plusNanos(1)));
        assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(A), 1, KEY, NOW.plusNanos(999_999)));
        assertDoesNotThrow(() -> header(GROUP, List.of(A), 1, KEY, NOW.plusNanos(1_000_000)));
    }

    @Test
    void timestampBefore1970IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(A), 1, KEY, Instant.ofEpochMilli(-1)));
        assertDoesNotThrow(() -> header(GROUP, List.of(A), 1, KEY, Instant.EPOCH));
    }

    @Test
    void negativeHeightIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(), -1, KEY, NOW));
        assertThrows(IllegalArgumentException.class, () -> header(GROUP, List.of(A), Long.MIN_VALUE, KEY, NOW));
    }

    @Test
    void nullFieldsAreRefused() {
        String digest = BODY.digest();
        assertThrows(NullPointerException.class, () -> new Header(null, List.of(A), 1, KEY, NOW, Kind.MESSAGE, digest));
        assertThrows(NullPointerException.class, () -> new Header(GROUP, null, 1, KEY, NOW, Kind.MESSAGE, digest));
        assertThrows(NullPointerException.class, () -> new Header(GROUP, List.of(A), 1, KEY, null, Kind.MESSAGE, digest));
        assertThrows(NullPointerException.class, () -> new Header(GROUP, List.of(A), 1, KEY, NOW, null, digest));
        assertThrows(NullPointerException.class, () -> new Block(null, BODY, HASH, SIG));
        assertThrows(NullPointerException.class, () -> new Block(header(List.of(A)), null, HASH, SIG));
    }

    @Test
    void aBodyMustMatchTheHeadersKind() {
        Block block = TestBlocks.write(new Body.Remove(KEY));
        // Same 32 bytes, so the digest would match: only the kind check stands between them.
        assertThrows(IllegalArgumentException.class,
                () -> new Block(block.header(), new Body.Revoke(KEY), block.hash(), block.signature()));
    }

    /** The header is written here independently of CanonicalWriter: a change to the signed layout must fail this. */
    @Test
    void theHeaderHashIsSha256OfTheDocumentedLayout() throws IOException {
        Header message = header(GROUP, List.of(B, A), 7, alice().publicKey(), NOW);
        Body genesisBody = new Body.Genesis("g", "f");
        Header genesis = TestBlocks.header("", List.of(), 0, alice().publicKey(), NOW, genesisBody);
        for (Header h : List.of(message, genesis)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write("ledgerchat/block/v2".getBytes(StandardCharsets.US_ASCII));
            byte[] group = h.group().isEmpty() ? new byte[0] : Hex.decode(h.group(), 32, "group");
            out.writeInt(group.length);
            out.write(group);
            List<String> sorted = new ArrayList<>(h.parents());
            Collections.sort(sorted);
            out.writeInt(sorted.size());
            for (String p : sorted) {
                out.write(Hex.decode(p, 32, "parent"));
            }
            out.writeLong(h.height());
            out.write(Hex.decode(h.author(), 32, "author"));
            out.writeLong(h.timestamp().toEpochMilli());
            out.writeByte(h.kind().code());
            out.write(Hex.decode(h.bodyDigest(), 32, "digest"));
            out.flush();
            assertArrayEquals(bytes.toByteArray(), h.encode(), h.kind().wireName());
            assertEquals(Hex.encode(BlockEncoding.sha256().digest(bytes.toByteArray())), h.hash());
        }
        assertEquals(BODY.digest(), message.bodyDigest());
        assertEquals(genesisBody.digest(), genesis.bodyDigest());
    }
}
