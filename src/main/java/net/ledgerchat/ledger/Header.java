package net.ledgerchat.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The signed part of a format-2 block (DESIGN section 7): its hash is SHA-256 over {@link #encode()}, and the
 * author signs that hash. The body is bound by its digest, so the header can be checked, stored and synced on
 * its own. The genesis names no group (its own hash is the group id) and no parents; every other block names
 * the group and at least one parent (checked by the verifier, so that a malformed block can still be named).
 */
public record Header(String group, List<String> parents, long height, String author, Instant timestamp, Kind kind,
                     String bodyDigest) {
    public static final String TAG = "ledgerchat/block/v2";
    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    public Header {
        Objects.requireNonNull(group, "group");
        if (!group.isEmpty()) {
            Hex.decode(group, Block.HASH_BYTES, "group id");
        }
        parents = Block.canonicalParents(Objects.requireNonNull(parents, "parents"));
        if (height < 0) {
            throw new IllegalArgumentException("height must not be negative");
        }
        Hex.decode(author, Block.KEY_BYTES, "author");
        requireMillisInstant(timestamp, "timestamp");
        Objects.requireNonNull(kind, "kind");
        Hex.decode(bodyDigest, Block.HASH_BYTES, "body digest");
    }

    /** The instants a block may carry: whole milliseconds from 1970 to 9999, so that epoch milliseconds never overflow. */
    static void requireMillisInstant(Instant instant, String what) {
        Objects.requireNonNull(instant, what);
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)
                || !instant.truncatedTo(ChronoUnit.MILLIS).equals(instant)) {
            throw new IllegalArgumentException(what + " must be a millisecond instant from 1970 to 9999");
        }
    }

    /**
     * Tag, group (length-prefixed: empty for the genesis), parent count and parents, height, author, timestamp,
     * kind, body digest: fixed widths and one length prefix per variable field, so no two headers share it.
     */
    public byte[] encode() {
        CanonicalWriter out = new CanonicalWriter(TAG_BYTES.length + 4 + 32 + 4 + parents.size() * 32 + 8 + 32 + 8 + 1 + 32)
                .raw(TAG_BYTES)
                .u32(group.isEmpty() ? 0 : Block.HASH_BYTES);
        if (!group.isEmpty()) {
            out.hex(group, Block.HASH_BYTES, "group id");
        }
        out.u32(parents.size());
        for (String parent : parents) {
            out.hex(parent, Block.HASH_BYTES, "parent hash");
        }
        return out.i64(height).hex(author, Block.KEY_BYTES, "author").i64(timestamp.toEpochMilli())
                .u8(kind.code()).hex(bodyDigest, Block.HASH_BYTES, "body digest").toByteArray();
    }

    public String hash() {
        return Hex.encode(BlockEncoding.sha256().digest(encode()));
    }

    public boolean isGenesis() {
        return kind == Kind.GENESIS;
    }
}
