package net.ledgerchat.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Makes this node's blocks: height from the parents, canonical hash, signature over the hash. */
public final class BlockFactory {
    private final String groupId;
    private final NodeIdentity identity;

    public BlockFactory(String groupId, NodeIdentity identity) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** A block following every block in {@code heads} (the node's current heads). */
    public Block create(Collection<OrderKey> heads, String sender, Instant timestamp, String message) {
        List<String> parents = new ArrayList<>(heads.size());
        long height = 0;
        for (OrderKey head : heads) {
            parents.add(head.hash());
            height = Math.max(height, head.height() + 1);
        }
        List<String> sorted = Block.canonicalParents(parents);
        String author = identity.publicKey();
        String hash = BlockEncoding.hash(groupId, sorted, height, author, sender, timestamp, message);
        String signature = identity.sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        return new Block(sorted, height, author, sender, timestamp, message, hash, signature);
    }
}
