package net.ledgerchat.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Writes this node's format-2 blocks: height from the parents, the header's hash, the signature over it. */
public final class BlockFactory {
    private final NodeIdentity identity;

    public BlockFactory(NodeIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public String key() {
        return identity.publicKey();
    }

    /** Founds a group: the block whose hash becomes the group id. */
    public Block found(String groupName, String founderName, Instant timestamp) {
        Body body = new Body.Genesis(groupName, founderName);
        return sign(new Header("", List.of(), 0, identity.publicKey(), timestamp, Kind.GENESIS, body.digest()), body);
    }

    /** A block of {@code groupId} following every block in {@code heads}. */
    public Block write(String groupId, Collection<OrderKey> heads, Instant timestamp, Body body) {
        return draft(groupId, heads, timestamp, body).sign();
    }

    /**
     * The block's header and hash without the signature: the writer fixes a block's place in the chain under its
     * lock and signs (the slow part) after releasing it.
     */
    public Draft draft(String groupId, Collection<OrderKey> heads, Instant timestamp, Body body) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("a block after the genesis follows at least one head");
        }
        List<String> parents = new ArrayList<>(heads.size());
        long height = 0;
        for (OrderKey head : heads) {
            parents.add(head.hash());
            height = Math.max(height, head.height() + 1);
        }
        Header header = new Header(groupId, parents, height, identity.publicKey(), timestamp, body.kind(), body.digest());
        return new Draft(new Block(header, body, header.hash(), UNSIGNED), identity);
    }

    private Block sign(Header header, Body body) {
        String hash = header.hash();
        return new Block(header, body, hash, identity.sign(Hex.decode(hash, Block.HASH_BYTES, "hash")));
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

        /** The block as it will be signed, with a zero signature: for shape checks only, never stored. */
        public Block unsignedView() {
            return unsigned;
        }

        public Block sign() {
            String signature = identity.sign(Hex.decode(unsigned.hash(), Block.HASH_BYTES, "hash"));
            return new Block(unsigned.header(), unsigned.body(), unsigned.hash(), signature);
        }
    }
}
