package net.ledgerchat.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A signed ledger block (DESIGN section 2). The constructor checks shape only (well-formed hex,
 * millisecond timestamp, sorted distinct parents); whether the block is <em>true</em> (hash,
 * signature, height, limits) is the {@link BlockVerifier}'s job, so a malformed block from the
 * network can still be named in an error.
 */
public record Block(List<String> parents, long height, String author, String sender, Instant timestamp,
                    String message, String hash, String signature) {

    public static final int HASH_BYTES = 32;
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    /** Far enough for any real clock, near enough that epoch milliseconds never overflow. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    public Block {
        Objects.requireNonNull(parents, "parents");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
        parents = canonicalParents(parents);
        if (height < 0) {
            throw new IllegalArgumentException("height must not be negative");
        }
        Hex.decode(author, KEY_BYTES, "author");
        Hex.decode(hash, HASH_BYTES, "hash");
        Hex.decode(signature, SIGNATURE_BYTES, "signature");
        if (timestamp.isBefore(Instant.EPOCH) || timestamp.isAfter(LATEST)
                || !timestamp.truncatedTo(ChronoUnit.MILLIS).equals(timestamp)) {
            throw new IllegalArgumentException("timestamp must be a millisecond instant from 1970 to 9999");
        }
    }

    /** Parents in their one canonical order: sorted, no duplicates. */
    static List<String> canonicalParents(List<String> parents) {
        List<String> sorted = new ArrayList<>(parents.size());
        for (String parent : parents) {
            Hex.decode(parent, HASH_BYTES, "parent hash");
            sorted.add(parent);
        }
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("duplicate parent " + sorted.get(i));
            }
        }
        return List.copyOf(sorted);
    }

    public boolean isGenesis() {
        return parents.isEmpty();
    }
}
