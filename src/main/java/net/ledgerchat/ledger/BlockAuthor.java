package net.ledgerchat.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Writes this node's format-2 blocks: height from the parents, the header's hash, the signature over it. */
public final class BlockAuthor {
    private final NodeIdentity identity;

    public BlockAuthor(NodeIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public String key() {
        return identity.publicKey();
    }

    /** Founds a group: the block whose hash becomes the group id. */
    public SignedBlock found(String groupName, String founderName, Instant timestamp) {
        Body body = new Body.Genesis(groupName, founderName);
        return sign(new Header("", List.of(), 0, identity.publicKey(), timestamp, Kind.GENESIS, body.digest()), body);
    }

    /** A block of {@code groupId} following every block in {@code heads}. */
    public SignedBlock write(String groupId, Collection<OrderKey> heads, Instant timestamp, Body body) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("a block after the genesis follows at least one head");
        }
        List<String> parents = new ArrayList<>(heads.size());
        long height = 0;
        for (OrderKey head : heads) {
            parents.add(head.hash());
            height = Math.max(height, head.height() + 1);
        }
        return sign(new Header(groupId, parents, height, identity.publicKey(), timestamp, body.kind(), body.digest()), body);
    }

    private SignedBlock sign(Header header, Body body) {
        String hash = header.hash();
        return new SignedBlock(header, body, hash, identity.sign(Hex.decode(hash, Block.HASH_BYTES, "hash")));
    }
}
