package net.ledgerchat.membership;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;

/**
 * What an admin hands a joiner (DESIGN section 7): the group id, the invite block's hash, members to reach with
 * the keys they must prove, and the invite's secret, from which the joiner signs the proof its admit carries. As text it is {@value #PREFIX} and URL-safe Base64 of a versioned binary form ending
 * in a checksum, so that a code cut short or mistyped is told apart from a code that is not one. The secret is
 * never shown by {@link #toString()}; a link carries the code in its fragment, which browsers never send.
 */
public final class InviteCode {
    public static final String PREFIX = "ledgerchat-invite:";
    public static final int MAX_CONTACTS = 8;
    private static final byte[] MAGIC = {'L', 'C', 'I'};
    private static final int VERSION = 1;
    private static final int CHECKSUM_BYTES = 4;
    private static final int MAX_HOST_BYTES = 253;
    /** Longer than any code this version writes: text past it is refused before it is decoded. */
    private static final int MAX_TEXT = 4_096;

    /** A member the joiner may reach: where it listens for peers and the node key it must prove there. */
    public record Contact(String host, int port, String key) {
        public Contact {
            Objects.requireNonNull(host, "host");
            int bytes = host.getBytes(StandardCharsets.UTF_8).length;
            if (host.isEmpty() || bytes > MAX_HOST_BYTES || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a contact's host is 1 to " + MAX_HOST_BYTES + " bytes without spaces");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("a contact's port is from 1 to 65535, not " + port);
            }
            Hex.decode(key, 32, "contact key");
        }
    }

    private final String groupId;
    private final String invite;
    private final List<Contact> contacts;
    private final byte[] secret;

    public InviteCode(String groupId, String invite, List<Contact> contacts, byte[] secret) {
        this.groupId = Hex.encode(Hex.decode(groupId, 32, "group id"));
        this.invite = Hex.encode(Hex.decode(invite, 32, "invite hash"));
        this.contacts = List.copyOf(contacts);
        if (this.contacts.isEmpty() || this.contacts.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException("an invite names 1 to " + MAX_CONTACTS + " members to reach");
        }
        if (secret.length != InviteKey.SECRET_BYTES) {
            throw new IllegalArgumentException("an invite secret is " + InviteKey.SECRET_BYTES + " bytes");
        }
        this.secret = secret.clone();
    }

    public String groupId() {
        return groupId;
    }

    /** The hash of the invite block. */
    public String invite() {
        return invite;
    }

    /** The proof an admit of {@code joinerKey} through this invite carries. */
    public String proofFor(String joinerKey) {
        return key().prove(groupId, invite, joinerKey);
    }

    public List<Contact> contacts() {
        return contacts;
    }

    /** The invite's key pair, from the secret. */
    public InviteKey key() {
        return InviteKey.fromSecret(secret);
    }

    /** The code as text, for copying. */
    public String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.writeBytes(Hex.decode(groupId, 32, "group id"));
        out.writeBytes(Hex.decode(invite, 32, "invite hash"));
        out.writeBytes(secret);
        out.write(contacts.size());
        for (Contact contact : contacts) {
            byte[] host = contact.host().getBytes(StandardCharsets.UTF_8);
            out.write(host.length);
            out.writeBytes(host);
            out.write(contact.port() >>> 8);
            out.write(contact.port());
            out.writeBytes(Hex.decode(contact.key(), 32, "contact key"));
        }
        byte[] body = out.toByteArray();
        out.writeBytes(Arrays.copyOf(sha256(body), CHECKSUM_BYTES));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** A link to the joiner's own node page ({@code page}, e.g. {@code http://localhost:8001/}), the code in its fragment. */
    public String linkFor(String page) {
        return page + "#join=" + text();
    }

    /**
     * Reads a code as a person pastes it: white space anywhere is ignored, and a whole link is taken for its
     * fragment. Anything else is refused with a reason a person can act on.
     */
    public static InviteCode parse(String pasted) throws InvalidInviteCode {
        if (pasted == null || pasted.length() > MAX_TEXT) {
            throw new InvalidInviteCode("this is not an invite code");
        }
        String text = pasted.replaceAll("\\s+", "");
        int fragment = text.indexOf("#join=");
        if (fragment >= 0) {
            text = text.substring(fragment + "#join=".length());
        }
        if (!text.startsWith(PREFIX)) {
            throw new InvalidInviteCode("this is not an invite code: it should start with " + PREFIX);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            boolean onlyCodeCharacters = text.substring(PREFIX.length()).chars()
                    .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
            throw new InvalidInviteCode(onlyCodeCharacters ? "the invite code is cut short: copy the whole code again"
                    : "the invite code is damaged: it has characters an invite code never has");
        }
        if (bytes.length < MAGIC.length + 1 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new InvalidInviteCode("this is not an invite code");
        }
        if (bytes[MAGIC.length] != VERSION) {
            throw new InvalidInviteCode("the invite code is of version " + (bytes[MAGIC.length] & 0xff)
                    + "; this node reads version " + VERSION + " (a newer ledger-chat made it?)");
        }
        if (bytes.length < MAGIC.length + 1 + CHECKSUM_BYTES) {
            throw new InvalidInviteCode("the invite code is cut short: copy the whole code again");
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - CHECKSUM_BYTES);
        byte[] checksum = Arrays.copyOfRange(bytes, bytes.length - CHECKSUM_BYTES, bytes.length);
        if (!MessageDigest.isEqual(checksum, Arrays.copyOf(sha256(body), CHECKSUM_BYTES))) {
            throw new InvalidInviteCode("the invite code is damaged or cut short: copy the whole code again");
        }
        try {
            return read(ByteBuffer.wrap(body, MAGIC.length + 1, body.length - MAGIC.length - 1));
        } catch (RuntimeException e) {
            throw new InvalidInviteCode("the invite code is malformed: " + e.getMessage());
        }
    }

    private static InviteCode read(ByteBuffer in) {
        byte[] group = new byte[32];
        in.get(group);
        byte[] invite = new byte[32];
        in.get(invite);
        byte[] secret = new byte[InviteKey.SECRET_BYTES];
        in.get(secret);
        int count = in.get() & 0xff;
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] host = new byte[in.get() & 0xff];
            in.get(host);
            int port = in.getShort() & 0xffff;
            byte[] key = new byte[32];
            in.get(key);
            contacts.add(new Contact(new String(host, StandardCharsets.UTF_8), port, Hex.encode(key)));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes left over");
        }
        return new InviteCode(Hex.encode(group), Hex.encode(invite), contacts, secret);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Names the group and the members to reach, never the secret. */
    @Override
    public String toString() {
        return "InviteCode[group=" + groupId + ", invite=" + invite + ", contacts=" + contacts + "]";
    }

    /** Why a pasted code was refused, in words for the person who pasted it. */
    public static final class InvalidInviteCode extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidInviteCode(String reason) {
            super(reason);
        }
    }
}
