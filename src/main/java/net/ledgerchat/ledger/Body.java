package net.ledgerchat.ledger;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * The kind-specific part of a format-2 block (DESIGN section 7). The signed header carries the SHA-256 of the
 * body's canonical encoding, so a body can be checked against its header on its own. Each record checks its
 * shape; whether its texts are within limits and its rule holds is the verifier's and the membership rules' job.
 */
public sealed interface Body {
    int SALT_BYTES = 16;
    int PROOF_BYTES = Block.SIGNATURE_BYTES;

    Kind kind();

    /** The canonical encoding: what the header's digest is taken over. */
    byte[] encode();

    default String digest() {
        return digest(encode());
    }

    static String digest(byte[] encoded) {
        MessageDigest sha256 = BlockEncoding.sha256();
        return Hex.encode(sha256.digest(encoded));
    }

    /** Reads a body of {@code kind} back from its encoding, refusing anything but exactly the canonical form. */
    public static Body decode(Kind kind, byte[] encoded, Limits limits) {
        CanonicalReader in = new CanonicalReader(encoded);
        Body body = switch (kind) {
            case GENESIS -> new Genesis(in.text(limits.maxSenderBytes(), "group name"),
                    in.text(limits.maxSenderBytes(), "founder's name"));
            case INVITE -> new Invite(in.hex(Block.KEY_BYTES, "invite key"), Instant.ofEpochMilli(in.i64("expiry")));
            case REVOKE -> new Revoke(in.hex(Block.HASH_BYTES, "invite hash"));
            case ADMIT -> new Admit(in.hex(Block.KEY_BYTES, "joiner key"), in.text(limits.maxSenderBytes(), "joiner's name"),
                    in.hex(Block.HASH_BYTES, "invite hash"), in.hex(PROOF_BYTES, "invite proof"));
            case REMOVE -> new Remove(in.hex(Block.KEY_BYTES, "member key"));
            case ROLE -> new Role(in.hex(Block.KEY_BYTES, "member key"), Rank.ofCode(in.u8("rank")));
            case MESSAGE -> new Message(in.hex(SALT_BYTES, "salt"), in.text(limits.maxMessageBytes(), "text"));
        };
        in.end(kind.wireName() + " body");
        return body;
    }

    private static String key(String hex, int bytes, String what) {
        Hex.decode(hex, bytes, what);
        return hex;
    }

    /** The first block: its hash is the group id; its author is the founder. */
    record Genesis(String groupName, String founderName) implements Body {
        public Genesis {
            Objects.requireNonNull(groupName, "groupName");
            Objects.requireNonNull(founderName, "founderName");
        }

        public Kind kind() {
            return Kind.GENESIS;
        }

        public byte[] encode() {
            return new CanonicalWriter(64).text(groupName).text(founderName).toByteArray();
        }
    }

    /** An admin's invite: the public half of a key whose secret the admin hands to one joiner. */
    record Invite(String inviteKey, Instant expires) implements Body {
        public Invite {
            key(inviteKey, Block.KEY_BYTES, "invite key");
            Header.requireMillisInstant(expires, "invite expiry");
        }

        public Kind kind() {
            return Kind.INVITE;
        }

        public byte[] encode() {
            return new CanonicalWriter(40).hex(inviteKey, Block.KEY_BYTES, "invite key").i64(expires.toEpochMilli()).toByteArray();
        }
    }

    /** Withdraws an invite before it is used. */
    record Revoke(String invite) implements Body {
        public Revoke {
            key(invite, Block.HASH_BYTES, "invite hash");
        }

        public Kind kind() {
            return Kind.REVOKE;
        }

        public byte[] encode() {
            return new CanonicalWriter(32).hex(invite, Block.HASH_BYTES, "invite hash").toByteArray();
        }
    }

    /** A member admits the holder of an invite's secret, which {@code proof} shows ({@link InviteKey}). */
    record Admit(String joiner, String name, String invite, String proof) implements Body {
        public Admit {
            key(joiner, Block.KEY_BYTES, "joiner key");
            Objects.requireNonNull(name, "name");
            key(invite, Block.HASH_BYTES, "invite hash");
            key(proof, PROOF_BYTES, "invite proof");
        }

        public Kind kind() {
            return Kind.ADMIT;
        }

        public byte[] encode() {
            return new CanonicalWriter(200).hex(joiner, Block.KEY_BYTES, "joiner key").text(name)
                    .hex(invite, Block.HASH_BYTES, "invite hash").hex(proof, PROOF_BYTES, "invite proof").toByteArray();
        }
    }

    /** Ends a membership: someone who outranks the member, or the member leaving. */
    record Remove(String member) implements Body {
        public Remove {
            key(member, Block.KEY_BYTES, "member key");
        }

        public Kind kind() {
            return Kind.REMOVE;
        }

        public byte[] encode() {
            return new CanonicalWriter(32).hex(member, Block.KEY_BYTES, "member key").toByteArray();
        }
    }

    /** The founder sets a member's rank; {@code FOUNDER} hands the founder's rank over (the author becomes an admin). */
    record Role(String member, Rank rank) implements Body {
        public Role {
            key(member, Block.KEY_BYTES, "member key");
            Objects.requireNonNull(rank, "rank");
        }

        public Kind kind() {
            return Kind.ROLE;
        }

        public byte[] encode() {
            return new CanonicalWriter(33).hex(member, Block.KEY_BYTES, "member key").u8(rank.code()).toByteArray();
        }
    }

    /**
     * A chat message. The random salt comes first so that a short text cannot be confirmed by hashing guesses
     * against the digest, which outlives an erased body (DESIGN section 9).
     */
    record Message(String salt, String text) implements Body {
        public Message {
            key(salt, SALT_BYTES, "salt");
            Objects.requireNonNull(text, "text");
        }

        public Kind kind() {
            return Kind.MESSAGE;
        }

        public byte[] encode() {
            return new CanonicalWriter(SALT_BYTES + 4 + text.length() * 3).hex(salt, SALT_BYTES, "salt").text(text).toByteArray();
        }
    }
}
