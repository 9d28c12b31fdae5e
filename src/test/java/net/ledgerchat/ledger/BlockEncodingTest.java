package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.NOW;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.everyKind;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static net.ledgerchat.ledger.TestBlocks.randomHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockEncoding} is the validation scan's raw form of a block's hashes, over the fields as stored. It must give
 * exactly {@link Header#hash()} and {@link Body#digest()}: otherwise the scan reports true blocks as edited, or
 * misses edits.
 */
class BlockEncodingTest {
    private static final String A = hashOf("a");
    private static final String B = hashOf("b");
    private static final String C = hashOf("c");
    /** One digest for every call, as the scan uses it: each call must leave it reset for the next. */
    private final MessageDigest sha256 = BlockEncoding.sha256();

    /** The header hash from {@code header}'s fields in their stored forms, the parents in {@code storedParents}' order. */
    private String scanHash(Header header, List<String> storedParents, byte[] body) {
        byte[] group = header.group().isEmpty() ? new byte[0] : Hex.decode(header.group(), Block.HASH_BYTES, "group");
        byte[] parents = new byte[storedParents.size() * Block.HASH_BYTES];
        for (int i = 0; i < storedParents.size(); i++) {
            Hex.decodeInto(storedParents.get(i), 0, Block.HASH_BYTES, parents, i * Block.HASH_BYTES);
        }
        return Hex.encode(BlockEncoding.headerHash(sha256, group, parents, storedParents.size(), header.height(),
                Hex.decode(header.author(), Block.KEY_BYTES, "author"), header.timestamp().toEpochMilli(),
                header.kind().code(), BlockEncoding.bodyDigest(sha256, body)));
    }

    private String scanHash(Block block) {
        return scanHash(block.header(), block.parents(), block.body().encode());
    }

    @Test
    void everyKindHashesAsItsHeaderAndItsBody() {
        for (Body body : everyKind()) {
            Block block = TestBlocks.write(body);
            assertEquals(body.digest(), Hex.encode(BlockEncoding.bodyDigest(sha256, body.encode())), body.kind().wireName());
            assertEquals(block.hash(), scanHash(block), body.kind().wireName());
        }
    }

    @Test
    void randomBlocksHashAsTheirHeaderAndBody() {
        Random random = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            Body body = randomBody(random, kind);
            boolean genesis = kind == Kind.GENESIS;
            List<String> parents = new ArrayList<>();
            for (int p = genesis ? 0 : 1 + random.nextInt(5); p > 0; p--) {
                parents.add(randomHash(random));
            }
            Header header = new Header(genesis ? "" : randomHash(random), parents, random.nextLong() & Long.MAX_VALUE,
                    randomHash(random), Instant.ofEpochMilli(random.nextLong() & 0xFF_FFFF_FFFFL), kind, body.digest());
            Block block = new Block(header, body, header.hash(), TestBlocks.ZERO_SIGNATURE);
            assertEquals(block.hash(), scanHash(block), "seed 11 block " + i + ": " + header);
        }
    }

    /** The scan reads parents as stored and must not sort them: a stored list put out of order is an edit too. */
    @Test
    void reorderedOrDroppedParentsHashDifferently() {
        Block block = new BlockFactory(alice()).write(GROUP, List.of(new OrderKey(0, 3, A), new OrderKey(0, 1, B),
                new OrderKey(0, 2, C)), NOW, TestBlocks.message("merge"));
        List<String> sorted = block.parents();
        assertEquals(block.hash(), scanHash(block.header(), sorted, block.body().encode()));
        List<String> reversed = new ArrayList<>(sorted);
        Collections.reverse(reversed);
        List<String> swapped = new ArrayList<>(sorted);
        Collections.swap(swapped, 0, 1);
        for (List<String> edited : List.of(reversed, swapped, sorted.subList(0, 2), sorted.subList(1, 3))) {
            assertNotEquals(block.hash(), scanHash(block.header(), edited, block.body().encode()), edited.toString());
        }
    }

    @Test
    void differentParentSetsHashDifferently() {
        Set<String> hashes = new HashSet<>();
        List<List<String>> sets = List.of(List.of(A), List.of(B), List.of(A, B), List.of(A, C), List.of(A, B, C));
        Body body = TestBlocks.message("m");
        for (List<String> parents : sets) {
            hashes.add(TestBlocks.header(GROUP, parents, 1, alice().publicKey(), NOW, body).hash());
        }
        assertEquals(sets.size(), hashes.size());
    }

    private static Body randomBody(Random random, Kind kind) {
        return switch (kind) {
            case GENESIS -> new Body.Genesis(randomText(random), randomText(random));
            case INVITE -> new Body.Invite(randomHash(random), Instant.ofEpochMilli(random.nextLong() & 0xFF_FFFF_FFFFL));
            case REVOKE -> new Body.Revoke(randomHash(random));
            case ADMIT -> new Body.Admit(randomHash(random), randomText(random), randomHash(random),
                    randomHash(random) + randomHash(random));
            case REMOVE -> new Body.Remove(randomHash(random));
            case ROLE -> new Body.Role(randomHash(random), Rank.values()[random.nextInt(Rank.values().length)]);
            case MESSAGE -> new Body.Message(randomHash(random).substring(0, 2 * Body.SALT_BYTES), randomText(random));
        };
    }

    /** Up to 40 code points from every plane's common ranges (no lone surrogates): 1- to 4-byte UTF-8. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(41); n > 0; n--) {
            int[] starts = {0x20, 0xa0, 0x800, 0xe000, 0x1f300};
            int start = starts[random.nextInt(starts.length)];
            text.appendCodePoint(start + random.nextInt(0x100));
        }
        return text.toString();
    }
}
