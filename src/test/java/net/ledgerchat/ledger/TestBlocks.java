package net.ledgerchat.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * Shared helpers for the ledger tests: fixed time, identities, and format-2 blocks built field by field, so that a
 * test can break exactly one rule. Most blocks are messages of {@link #GROUP}; the membership rules are not this
 * package's business, so no history of admits is needed.
 */
final class TestBlocks {
    /** A fixed group id: a 64-hex genesis hash, as every block after the genesis names it. */
    static final String GROUP = hashOf("group-under-test");
    /** A fixed "now" for the verifier; every test block is stamped at or before it unless a test says otherwise. */
    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** A fixed salt: the tests compare blocks and hashes, so the message bodies must not be random. */
    static final String SALT = "5a".repeat(Body.SALT_BYTES);
    static final String ZERO_SIGNATURE = "0".repeat(Block.SIGNATURE_BYTES * 2);

    private static final NodeIdentity ALICE = NodeIdentity.generate();
    private static final NodeIdentity BOB = NodeIdentity.generate();

    private TestBlocks() {
    }

    static NodeIdentity alice() {
        return ALICE;
    }

    static NodeIdentity bob() {
        return BOB;
    }

    /** The verifier of {@link #GROUP}. */
    static BlockVerifier verifier() {
        return verifier(Limits.DEFAULT);
    }

    static BlockVerifier verifier(Limits limits) {
        return new BlockVerifier(GROUP, limits, CLOCK);
    }

    /** The verifier of the group a genesis founds: its hash is the group id. */
    static BlockVerifier verifierOf(Block genesis) {
        return new BlockVerifier(genesis.hash(), Limits.DEFAULT, CLOCK);
    }

    /** A genesis by {@code founder}, made as a node founds a group. */
    static Block genesis(NodeIdentity founder, Instant timestamp) {
        return new BlockFactory(founder).found("group under test", "founder", timestamp);
    }

    static Body.Message message(String text) {
        return new Body.Message(SALT, text);
    }

    /** One body of every kind, every field set (the invite key fixed, so the list is the same on every call). */
    static List<Body> everyKind() {
        String member = BOB.publicKey();
        String invite = hashOf("invite");
        return List.of(
                new Body.Genesis("Friends", "alice"),
                new Body.Invite(InviteKey.fromSecret(new byte[InviteKey.SECRET_BYTES]).publicKey(), NOW.plusSeconds(86_400)),
                new Body.Revoke(invite),
                new Body.Admit(member, "bob", invite, "ab".repeat(Body.PROOF_BYTES)),
                new Body.Remove(member),
                new Body.Role(member, Rank.ADMIN),
                message("hello \u2615 \u0928\u092e\u0938\u094d\u0924\u0947"));
    }

    /**
     * A valid block of {@code body} by alice, as her node writes it: a genesis is founded, any other kind follows the
     * group's genesis (at height 0) in {@link #GROUP}. {@link #verifierFor} accepts it.
     */
    static Block write(Body body) {
        Instant genesisTime = NOW.minusSeconds(60);
        if (body instanceof Body.Genesis genesis) {
            return new BlockFactory(ALICE).found(genesis.groupName(), genesis.founderName(), genesisTime);
        }
        return new BlockFactory(ALICE).write(GROUP, List.of(new OrderKey(genesisTime.toEpochMilli(), 0, GROUP)),
                NOW.minusSeconds(1), body);
    }

    /** The verifier of the group {@code block} belongs to: its own for a genesis, else {@link #GROUP}'s. */
    static BlockVerifier verifierFor(Block block) {
        return block.isGenesis() ? verifierOf(block) : verifier();
    }

    /** A header over {@code body} (kind and digest taken from it); every other field as given, checked or not. */
    static Header header(String group, List<String> parents, long height, String author, Instant timestamp, Body body) {
        return new Header(group, parents, height, author, timestamp, body.kind(), body.digest());
    }

    /** The block with the header's true hash, signed by {@code signer}, whoever the header names as author. */
    static Block sign(NodeIdentity signer, Header header, Body body) {
        String hash = header.hash();
        return new Block(header, body, hash, signer.sign(Hex.decode(hash, Block.HASH_BYTES, "hash")));
    }

    /**
     * A message of {@link #GROUP} whose hash is the true hash of the given fields and whose signature is the
     * author's true signature over it, whatever the fields are (height need not follow from the parents).
     */
    static Block signed(NodeIdentity author, List<String> parents, long height, Instant timestamp, String text) {
        Body body = message(text);
        return sign(author, header(GROUP, parents, height, author.publicKey(), timestamp, body), body);
    }

    /** A message with a correct hash but an all-zero signature: cheap, for tests that never check signatures. */
    static Block unsigned(List<String> parents, long height, String author, Instant timestamp, String text) {
        Body body = message(text);
        Header header = header(GROUP, parents, height, author, timestamp, body);
        return new Block(header, body, header.hash(), ZERO_SIGNATURE);
    }

    static String randomHash(Random random) {
        byte[] bytes = new byte[Block.HASH_BYTES];
        random.nextBytes(bytes);
        return Hex.encode(bytes);
    }

    /** A deterministic, distinct 32-byte hash per label. */
    static String hashOf(String label) {
        return Hex.encode(BlockEncoding.sha256().digest(label.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code hex} with the digit at {@code index} replaced by a different digit: still well-formed hex. */
    static String flipHex(String hex, int index) {
        char c = hex.charAt(index);
        char replacement = c == '0' ? '1' : '0';
        return hex.substring(0, index) + replacement + hex.substring(index + 1);
    }

    /** Asserts that {@code action} throws a {@link BlockRejectedException} for exactly {@code reason}. */
    static BlockRejectedException assertRejected(RejectReason reason, Executable action) {
        BlockRejectedException e = assertThrows(BlockRejectedException.class, action);
        assertEquals(reason, e.reason(), "wrong reject reason; message was: " + e.getMessage());
        return e;
    }
}
