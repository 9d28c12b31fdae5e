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

/** Shared helpers for the ledger tests: fixed time, identities, and blocks built field by field. */
final class TestBlocks {
    static final String GROUP = "group-under-test";
    /** A fixed "now" for the verifier; every test block is stamped at or before it unless a test says otherwise. */
    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

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

    static BlockVerifier verifier() {
        return new BlockVerifier(GROUP, Limits.DEFAULT, CLOCK);
    }

    static BlockVerifier verifier(Limits limits) {
        return new BlockVerifier(GROUP, limits, CLOCK);
    }

    static BlockFactory factory(NodeIdentity identity) {
        return new BlockFactory(GROUP, identity);
    }

    /**
     * A block whose hash is the true hash of the given fields and whose signature is the author's
     * true signature over it, whatever the fields are (height need not follow from the parents).
     * This lets a test break exactly one rule.
     */
    static Block signed(NodeIdentity author, List<String> parents, long height, String sender, Instant timestamp,
                        String message) {
        return signedBy(author, author, GROUP, parents, height, sender, timestamp, message);
    }

    /** Like {@link #signed} but the claimed author, the signer and the group may differ. */
    static Block signedBy(NodeIdentity claimedAuthor, NodeIdentity signer, String groupId, List<String> parents,
                          long height, String sender, Instant timestamp, String message) {
        List<String> sorted = Block.canonicalParents(parents);
        String author = claimedAuthor.publicKey();
        String hash = BlockEncoding.hash(groupId, sorted, height, author, sender, timestamp, message);
        String signature = signer.sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        return new Block(sorted, height, author, sender, timestamp, message, hash, signature);
    }

    /** A block with a correct hash but a dummy (all-zero) signature: cheap, for tests that never check signatures. */
    static Block unsigned(List<String> parents, long height, String author, String sender, Instant timestamp,
                          String message) {
        List<String> sorted = Block.canonicalParents(parents);
        String hash = BlockEncoding.hash(GROUP, sorted, height, author, sender, timestamp, message);
        return new Block(sorted, height, author, sender, timestamp, message, hash, "0".repeat(128));
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
