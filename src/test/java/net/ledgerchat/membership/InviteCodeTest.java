package net.ledgerchat.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;
import org.junit.jupiter.api.Test;

/** The invite code as text and link: round trip, and a clear refusal for every way a pasted code goes wrong. */
class InviteCodeTest {
    private static final String GROUP = "ab".repeat(32);
    private static final String INVITE = "cd".repeat(32);
    private final InviteKey key = InviteKey.generate();
    private final InviteCode code = new InviteCode(GROUP, INVITE, List.of(
            new InviteCode.Contact("127.0.0.1", 5001, "01".repeat(32)),
            new InviteCode.Contact("chat.example.org", 65_535, "02".repeat(32))), key.secret());

    private static String refusal(String text) {
        return assertThrows(InviteCode.InvalidInviteCode.class, () -> InviteCode.parse(text)).getMessage();
    }

    @Test
    void aCodeReadsBackAsTextAndAsALinkWithWhiteSpaceAnywhere() throws Exception {
        String text = code.text();
        assertTrue(text.startsWith(InviteCode.PREFIX));
        InviteCode read = InviteCode.parse(text);
        assertEquals(GROUP, read.groupId());
        assertEquals(INVITE, read.invite());
        String joiner = "0f".repeat(32);
        assertTrue(InviteKey.verifyProof(key.publicKey(), GROUP, INVITE, joiner, read.proofFor(joiner)),
                "the joiner signs its admit's proof from the code alone");
        assertEquals(code.contacts(), read.contacts());
        assertEquals(key.publicKey(), read.key().publicKey());
        String wrapped = " " + text.substring(0, 20) + "\n  " + text.substring(20) + "\n";
        assertEquals(code.contacts(), InviteCode.parse(wrapped).contacts());
        String link = code.linkFor("http://localhost:8001/");
        assertTrue(link.startsWith("http://localhost:8001/#join=" + InviteCode.PREFIX), link);
        assertArrayEquals(key.secret(), InviteCode.parse(link).key().secret());
    }

    @Test
    void theSecretIsNeverShownByToString() {
        String secretHex = Hex.encode(key.secret());
        assertFalse(code.toString().contains(secretHex));
        assertFalse(code.toString().contains(code.text().substring(InviteCode.PREFIX.length())));
    }

    @Test
    void everyWayAPastedCodeGoesWrongIsNamed() {
        String text = code.text();
        assertTrue(refusal("hello").startsWith("this is not an invite code"));
        assertTrue(refusal("").startsWith("this is not an invite code"));
        assertTrue(refusal("x".repeat(5_000)).startsWith("this is not an invite code"));
        assertTrue(refusal(InviteCode.PREFIX + "!!!").contains("characters an invite code never has"));
        assertTrue(refusal(text.substring(0, text.length() - 10)).contains("copy the whole code again"));
        char last = text.charAt(text.length() - 5);
        String typo = text.substring(0, text.length() - 5) + (last == 'A' ? 'B' : 'A') + text.substring(text.length() - 4);
        assertTrue(refusal(typo).contains("damaged"), refusal(typo));
        byte[] other = Base64.getUrlDecoder().decode(text.substring(InviteCode.PREFIX.length()));
        other[3] = 9;
        assertTrue(refusal(InviteCode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(other))
                .contains("version 9"));
        assertTrue(refusal(InviteCode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString("XYZ1".getBytes()))
                .startsWith("this is not an invite code"));
    }

    @Test
    void randomTextIsRefusedNeverMisread() {
        Random random = new Random(3);
        String text = code.text();
        for (int i = 0; i < 2_000; i++) {
            char[] chars = text.toCharArray();
            int at = InviteCode.PREFIX.length() + random.nextInt(chars.length - InviteCode.PREFIX.length());
            char replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(64));
            if (chars[at] == replacement) {
                continue;
            }
            chars[at] = replacement;
            String changed = new String(chars);
            try {
                InviteCode read = InviteCode.parse(changed);
                // Only the last character's spare bits can change without changing the bytes.
                assertEquals(code.contacts(), read.contacts(), changed);
                assertArrayEquals(key.secret(), read.key().secret());
            } catch (InviteCode.InvalidInviteCode refused) {
                assertFalse(refused.getMessage().isBlank());
            }
        }
    }

    @Test
    void aCodeNamesOneToEightMembersToReach() {
        assertThrows(IllegalArgumentException.class, () -> new InviteCode(GROUP, INVITE, List.of(), key.secret()));
        List<InviteCode.Contact> nine = java.util.Collections.nCopies(9, new InviteCode.Contact("h", 1, "03".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new InviteCode(GROUP, INVITE, nine, key.secret()));
        assertThrows(IllegalArgumentException.class, () -> new InviteCode.Contact("has space", 1, "03".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new InviteCode.Contact("h", 0, "03".repeat(32)));
    }
}
