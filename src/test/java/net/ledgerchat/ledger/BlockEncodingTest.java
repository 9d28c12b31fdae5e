package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockEncodingTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");
    private static final Instant T = NOW.minusSeconds(5);

    private static String hash(String group, List<String> parents, long height, String sender, Instant ts, String message) {
        return BlockEncoding.hash(group, Block.canonicalParents(parents), height, alice().publicKey(), sender, ts, message);
    }

    @Test
    void senderMessageBoundaryIsUnambiguous() {
        assertNotEquals(hash(GROUP, List.of(), 0, "ab", T, "c"), hash(GROUP, List.of(), 0, "a", T, "bc"));
        assertNotEquals(hash(GROUP, List.of(), 0, "a", T, "bc"), hash(GROUP, List.of(), 0, "abc", T, ""));
    }

    @Test
    void groupSenderBoundaryIsUnambiguous() {
        assertNotEquals(hash("g1", List.of(), 0, "x", T, "m"), hash("g", List.of(), 0, "1x", T, "m"));
    }

    @Test
    void differentParentSetsHashDifferently() {
        Set<String> hashes = new HashSet<>();
        List<List<String>> sets = List.of(List.of(), List.of(A), List.of(B), List.of(A, B), List.of(A, C), List.of(A, B, C));
        for (List<String> parents : sets) {
            hashes.add(hash(GROUP, parents, 1, "s", T, "m"));
        }
        assertEquals(sets.size(), hashes.size());
    }

    @Test
    void everyFieldAffectsTheHash() {
        String base = hash(GROUP, List.of(A), 1, "s", T, "m");
        assertEquals(base, hash(GROUP, List.of(A), 1, "s", T, "m"), "hash must be deterministic");
        assertNotEquals(base, hash(GROUP + "x", List.of(A), 1, "s", T, "m"));
        assertNotEquals(base, hash(GROUP, List.of(B), 1, "s", T, "m"));
        assertNotEquals(base, hash(GROUP, List.of(A), 2, "s", T, "m"));
        assertNotEquals(base, BlockEncoding.hash(GROUP, List.of(A), 1, TestBlocks.bob().publicKey(), "s", T, "m"));
        assertNotEquals(base, hash(GROUP, List.of(A), 1, "t", T, "m"));
        assertNotEquals(base, hash(GROUP, List.of(A), 1, "s", T.plusMillis(1), "m"));
        assertNotEquals(base, hash(GROUP, List.of(A), 1, "s", T, "n"));
    }

    @Test
    void factoryParentOrderDoesNotMatter() {
        long ts = T.toEpochMilli();
        OrderKey ka = new OrderKey(ts, 2, A);
        OrderKey kb = new OrderKey(ts, 5, B);
        OrderKey kc = new OrderKey(ts, 0, C);
        BlockFactory factory = TestBlocks.factory(alice());
        Block abc = factory.create(List.of(ka, kb, kc), "alice", T, "merge");
        Block cba = factory.create(List.of(kc, kb, ka), "alice", T, "merge");
        Block bac = factory.create(new ArrayList<>(List.of(kb, ka, kc)), "alice", T, "merge");
        assertEquals(abc.hash(), cba.hash());
        assertEquals(abc.hash(), bac.hash());
        assertEquals(abc, cba, "Ed25519 is deterministic, so the whole block is identical");
        List<String> sorted = new ArrayList<>(List.of(A, B, C));
        sorted.sort(null);
        assertEquals(sorted, abc.parents());
        assertEquals(6, abc.height());
        assertDoesNotThrow(() -> TestBlocks.verifier().verifyContent(cba));
    }

    @Test
    void hashIsSha256OfTheDocumentedLayout() throws IOException {
        List<String> parents = Block.canonicalParents(List.of(B, A));
        String author = alice().publicKey();
        String sender = "s\u00e9nder";
        String message = "m\u20acssage \ud83d\ude00";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("ledgerchat/block/v1".getBytes(StandardCharsets.US_ASCII));
        byte[] group = GROUP.getBytes(StandardCharsets.UTF_8);
        out.writeInt(group.length);
        out.write(group);
        out.writeInt(parents.size());
        for (String p : parents) {
            out.write(Hex.decode(p, 32, "p"));
        }
        out.writeLong(7);
        out.write(Hex.decode(author, 32, "a"));
        byte[] name = sender.getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeLong(T.toEpochMilli());
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        out.flush();

        byte[] encoded = BlockEncoding.encode(GROUP, parents, 7, author, sender, T, message);
        assertArrayEquals(bytes.toByteArray(), encoded);
        assertEquals(Hex.encode(BlockEncoding.sha256().digest(encoded)),
                BlockEncoding.hash(GROUP, parents, 7, author, sender, T, message));
    }

    @Test
    void hashOfBlockUsesItsFields() {
        Block b = TestBlocks.factory(alice()).create(List.of(new OrderKey(T.toEpochMilli(), 0, A)), "alice", T, "hi");
        assertEquals(b.hash(), BlockEncoding.hash(GROUP, b));
        assertNotEquals(b.hash(), BlockEncoding.hash("other", b));
    }
}
