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
        return draft(heads, sender, timestamp, message).sign();
    }

    /**
     * The block's content and hash without the signature: the writer fixes a block's place in the chain
     * under its lock and signs (the slow part) after releasing it.
     */
    public Draft draft(Collection<OrderKey> heads, String sender, Instant timestamp, String message) {
        List<String> parents = new ArrayList<>(heads.size());
        long height = 0;
        for (OrderKey head : heads) {
            parents.add(head.hash());
            height = Math.max(height, head.height() + 1);
        }
        List<String> sorted = Block.canonicalParents(parents);
        String author = identity.publicKey();
        String hash = BlockEncoding.hash(groupId, sorted, height, author, sender, timestamp, message);
        return new Draft(new Block(sorted, height, author, sender, timestamp, message, hash, UNSIGNED), identity);
    }

    private static final String UNSIGNED = "0".repeat(Block.SIGNATURE_BYTES * 2);

    /** A hashed block still to be signed. */
    public static final class Draft {
        private final Block unsigned;
        private final NodeIdentity identity;

        private Draft(Block unsigned, NodeIdentity identity) {
            this.unsigned = unsigned;
            this.identity = identity;
        }

        public String hash() {
            return unsigned.hash();
        }

        /** The fields as they will be signed, with a zero signature: for shape checks only, never stored. */
        public Block unsignedView() {
            return unsigned;
        }

        public Block sign() {
            String signature = identity.sign(Hex.decode(unsigned.hash(), Block.HASH_BYTES, "hash"));
            return new Block(unsigned.parents(), unsigned.height(), unsigned.author(), unsigned.sender(),
                    unsigned.timestamp(), unsigned.message(), unsigned.hash(), signature);
        }
    }
}
