package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.NOW;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {
    private static final byte[] DATA = "some bytes to sign".getBytes(StandardCharsets.UTF_8);

    @Test
    void publicKeyIsRawHex() {
        NodeIdentity id = NodeIdentity.generate();
        assertTrue(Hex.isHex(id.publicKey(), Block.KEY_BYTES), id.publicKey());
        assertNotEquals(id.publicKey(), NodeIdentity.generate().publicKey());
    }

    @Test
    void signaturesVerify() {
        NodeIdentity id = NodeIdentity.generate();
        String signature = id.sign(DATA);
        assertTrue(Hex.isHex(signature, Block.SIGNATURE_BYTES));
        Ed25519 ed = new Ed25519();
        assertTrue(ed.verify(id.publicKey(), DATA, signature));
        assertFalse(ed.verify(id.publicKey(), "other bytes".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(ed.verify(NodeIdentity.generate().publicKey(), DATA, signature));
    }

    @Test
    void fromPkcs8RestoresTheSameIdentity() throws GeneralSecurityException {
        NodeIdentity original = NodeIdentity.generate();
        NodeIdentity restored = NodeIdentity.fromPkcs8(original.privateKeyPkcs8(), original.publicKey());
        assertEquals(original.publicKey(), restored.publicKey());
        // Ed25519 signatures are deterministic: the restored key signs exactly as the original.
        assertEquals(original.sign(DATA), restored.sign(DATA));
        assertTrue(new Ed25519().verify(original.publicKey(), DATA, restored.sign(DATA)));

        // A block written after the restart verifies as the original's, and is the very block the original writes.
        List<OrderKey> heads = List.of(new OrderKey(NOW.toEpochMilli(), 0, TestBlocks.GROUP));
        Block block = new BlockFactory(restored).write(TestBlocks.GROUP, heads, NOW, TestBlocks.message("after restart"));
        assertDoesNotThrow(() -> TestBlocks.verifier().verify(block));
        assertEquals(original.publicKey(), block.author());
        assertEquals(new BlockFactory(original).write(TestBlocks.GROUP, heads, NOW, TestBlocks.message("after restart")), block);
    }

    @Test
    void restoredIdentityKeepsTheSealKey() throws GeneralSecurityException {
        NodeIdentity original = NodeIdentity.generate();
        NodeIdentity restored = NodeIdentity.fromPkcs8(original.privateKeyPkcs8(), original.publicKey());
        String hash = TestBlocks.hashOf("h");
        String signature = original.sign(Hex.decode(hash, 32, "hash"));
        String seal = original.seal().compute(hash, signature, 123);
        assertTrue(restored.seal().matches(seal, hash, signature, 123),
                "seals written before a restart must still match after it");
    }

    @Test
    void mismatchedPublicKeyIsRefused() {
        NodeIdentity mine = NodeIdentity.generate();
        NodeIdentity other = NodeIdentity.generate();
        assertThrows(GeneralSecurityException.class,
                () -> NodeIdentity.fromPkcs8(mine.privateKeyPkcs8(), other.publicKey()));
    }

    @Test
    void malformedInputIsRefused() {
        NodeIdentity mine = NodeIdentity.generate();
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.fromPkcs8(mine.privateKeyPkcs8(), "abc"));
        assertThrows(IllegalArgumentException.class,
                () -> NodeIdentity.fromPkcs8(mine.privateKeyPkcs8(), mine.publicKey().toUpperCase()));
        assertThrows(GeneralSecurityException.class, () -> NodeIdentity.fromPkcs8(new byte[] {1, 2, 3}, mine.publicKey()));
    }
}
