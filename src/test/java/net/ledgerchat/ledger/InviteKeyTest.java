package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.GROUP;
import static net.ledgerchat.ledger.TestBlocks.alice;
import static net.ledgerchat.ledger.TestBlocks.bob;
import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The invite proof an admit carries (DESIGN section 7): valid for one group, one invite and one joiner only. */
class InviteKeyTest {
    private static final String INVITE = hashOf("invite");
    private static final String OTHER = hashOf("other");
    private static final String JOINER = bob().publicKey();

    @Test
    void aProofBindsTheGroupTheInviteAndTheJoiner() {
        InviteKey invite = InviteKey.generate();
        String proof = invite.prove(GROUP, INVITE, JOINER);
        assertTrue(InviteKey.verifyProof(invite.publicKey(), GROUP, INVITE, JOINER, proof));
        assertFalse(InviteKey.verifyProof(invite.publicKey(), OTHER, INVITE, JOINER, proof), "another group");
        assertFalse(InviteKey.verifyProof(invite.publicKey(), GROUP, OTHER, JOINER, proof), "another invite");
        assertFalse(InviteKey.verifyProof(invite.publicKey(), GROUP, INVITE, alice().publicKey(), proof), "another joiner");
        assertFalse(InviteKey.verifyProof(InviteKey.generate().publicKey(), GROUP, INVITE, JOINER, proof), "another key");
    }

    @Test
    void theSecretIsTheWholeKey() {
        InviteKey invite = InviteKey.generate();
        InviteKey restored = InviteKey.fromSecret(invite.secret());
        assertEquals(invite.publicKey(), restored.publicKey());
        // Whoever holds the secret from the invite code proves as the admin's own key would.
        assertTrue(InviteKey.verifyProof(invite.publicKey(), GROUP, INVITE, JOINER, restored.prove(GROUP, INVITE, JOINER)));
        assertThrows(IllegalArgumentException.class, () -> InviteKey.fromSecret(new byte[InviteKey.SECRET_BYTES - 1]));
        assertFalse(invite.toString().contains(Hex.encode(invite.secret())), "the secret is never logged");
    }
}
