package net.ledgerchat.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A format-2 block: header, body, the header's hash and the author's signature over it. The constructor checks
 * shape only; whether the block is true (digest, hash, signature, limits) is {@link SignedBlockVerifier}'s
 * job, and whether its kind's rule holds at its parents is the membership rules'.
 */
public record SignedBlock(Header header, Body body, String hash, String signature) {
    public SignedBlock {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
        Hex.decode(hash, Block.HASH_BYTES, "hash");
        Hex.decode(signature, Block.SIGNATURE_BYTES, "signature");
        if (body.kind() != header.kind()) {
            throw new IllegalArgumentException("a " + body.kind().wireName() + " body under a "
                    + header.kind().wireName() + " header");
        }
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
