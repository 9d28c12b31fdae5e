package net.ledgerchat.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A format-2 block: header, body, the header's hash and the author's signature over it. The constructor checks
 * shape only; whether the block is true (digest, hash, signature, limits) is {@link BlockVerifier}'s
 * job, and whether its kind's rule holds at its parents is the membership rules'.
 */
public record Block(Header header, Body body, String hash, String signature) {
    public static final int HASH_BYTES = 32;
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    public Block {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
        Hex.decode(hash, Block.HASH_BYTES, "hash");
        Hex.decode(signature, Block.SIGNATURE_BYTES, "signature");
        if (body.kind() != header.kind()) {
            throw new IllegalArgumentException("a " + body.kind().wireName() + " body under a "
                    + header.kind().wireName() + " header");
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

    public Kind kind() {
        return header.kind();
    }

    public String author() {
        return header.author();
    }

    public List<String> parents() {
        return header.parents();
    }

    public long height() {
        return header.height();
    }

    public Instant timestamp() {
        return header.timestamp();
    }

    public boolean isGenesis() {
        return header.isGenesis();
    }

    /** The body as the given type, for code that has already switched on {@link #kind()}. */
    public <B extends Body> B body(Class<B> type) {
        return type.cast(body);
    }
}
