package net.ledgerchat.store;

import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.Hex;

/** Table and column facts shared by the JPA mapping and the JDBC validation scan, so the two cannot drift. */
final class Tables {
    static final String LEDGER = "ledger";
    static final String MESSAGES = "messages";
    static final String LINKS = "ledger_parent";
    static final String META = "ledger_meta";
    static final String HEADS = "ledger_heads";
    /** Declared by {@link LedgerRow}. */
    static final String LEDGER_SORT_KEY_DESC = "ledger_sort_key_desc";
    /** Declared by {@link MessageRow}. */
    static final String MESSAGES_SORT_KEY_DESC = "messages_sort_key_desc";
    static final String SORT_KEY_DESC = "sort_key DESC";
    static final int MAX_STORED_PARENTS = 64;
    /** Up to 64 head hashes of 64 hex digits, comma separated ({@code ledger_heads} keeps the text form). */
    static final int HEADS_LENGTH = MAX_STORED_PARENTS * 65;
    /** Up to 64 parents of 32 bytes, concatenated in the block's order. */
    static final int PARENTS_BYTES = MAX_STORED_PARENTS * Block.HASH_BYTES;
    static final int HASH_BYTES = Block.HASH_BYTES;
    static final int KEY_BYTES = Block.KEY_BYTES;
    static final int SIGNATURE_BYTES = Block.SIGNATURE_BYTES;
    static final int SEAL_BYTES = 32;
    static final int SENDER_LENGTH = 256;
    /** The column holds the largest MAX_MESSAGE_BYTES a node may be configured with. */
    static final int TEXT_LENGTH = 262_144;
    /** The largest text beside a body's fixed fields (salt, lengths, keys, a proof). */
    static final int BODY_BYTES = TEXT_LENGTH + 1_024;
    /** Up to 256 concurrent membership blocks latest in a block's past. */
    static final int MAX_CONTEXT = 256;
    static final int CONTEXT_BYTES = MAX_CONTEXT * Block.HASH_BYTES;
    /** The longest idempotency key a send may carry (chat.SendKeys checks the form). */
    static final int SEND_KEY_LENGTH = 64;

    /** Bounds for reading stored bodies back: each was checked against the node's own limits when it was stored. */
    static final Limits STORED_LIMITS = new Limits(TEXT_LENGTH, SENDER_LENGTH, MAX_STORED_PARENTS, java.time.Duration.ofDays(1));

    private Tables() {
    }

    /** Head hashes as {@code ledger_heads} stores them: hex, comma separated. */
    static String joinHashes(List<String> hashes) {
        return String.join(",", hashes);
    }

    static List<String> splitHashes(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(",", -1));
    }

    /** The parents column: each parent's 32 bytes, in the block's order. */
    static byte[] parentBytes(List<String> parents) {
        byte[] joined = new byte[parents.size() * HASH_BYTES];
        for (int i = 0; i < parents.size(); i++) {
            if (!Hex.decodeInto(parents.get(i), 0, HASH_BYTES, joined, i * HASH_BYTES) || parents.get(i).length() != 64) {
                throw new IllegalArgumentException("parent " + i + " is not a 64-digit hex hash");
            }
        }
        return joined;
    }

    /** The parents column back as hex hashes; IllegalArgumentException if it is not whole 32-byte hashes. */
    static List<String> parentHashes(byte[] joined) {
        if (joined == null || joined.length % HASH_BYTES != 0) {
            throw new IllegalArgumentException("the stored parents are not whole 32-byte hashes");
        }
        List<String> parents = new ArrayList<>(joined.length / HASH_BYTES);
        for (int at = 0; at < joined.length; at += HASH_BYTES) {
            parents.add(Hex.encode(java.util.Arrays.copyOfRange(joined, at, at + HASH_BYTES)));
        }
        return parents;
    }

    /** A hash as its column stores it; IllegalArgumentException unless 64 lower-case hex digits. */
    static byte[] hashBytes(String hash) {
        return Hex.decode(hash, HASH_BYTES, "hash");
    }

    /** A hash some caller asks about as bytes, or null when it is not a well-formed hash (so nothing stored matches). */
    static byte[] hashOrNull(String hash) {
        return Hex.isHex(hash, HASH_BYTES) ? Hex.decode(hash, HASH_BYTES, "hash") : null;
    }

    /**
     * The bytes of a value a problem report names (the hex of whatever was stored, malformed lengths included),
     * or null for text no stored value can have printed as.
     */
    static byte[] storedOrNull(String hex) {
        return hex != null && hex.length() % 2 == 0 && Hex.isHex(hex, hex.length() / 2)
                ? Hex.decode(hex, hex.length() / 2, "stored value") : null;
    }

    /** A stored binary value as hex for reports and the domain; "null" for SQL NULL. */
    static String hex(byte[] stored) {
        return stored == null ? "null" : Hex.encode(stored);
    }

    /** The name as the database keeps an unquoted identifier: H2 upper-cases it, SQL Server keeps it. */
    static String stored(java.sql.DatabaseMetaData meta, String identifier) throws java.sql.SQLException {
        if (meta.storesUpperCaseIdentifiers()) {
            return identifier.toUpperCase(java.util.Locale.ROOT);
        }
        return meta.storesLowerCaseIdentifiers() ? identifier.toLowerCase(java.util.Locale.ROOT) : identifier;
    }

    /** A table or column name as a metadata search pattern: '_' matches any character there, so it is escaped. */
    static String namePattern(java.sql.DatabaseMetaData meta, String identifier) throws java.sql.SQLException {
        return stored(meta, identifier).replace("_", meta.getSearchStringEscape() + "_");
    }
}
