package net.ledgerchat.ledger;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every rule a format-2 block must pass on its own before it is stored (DESIGN sections 2 and 7): shape,
 * group, limits, body against its digest, hash, and last (the expensive one) the signature. Whether the
 * block's kind may be written by its author at its parents is decided by the membership rules, which need the
 * ledger around it.
 */
public final class BlockVerifier {
    private final String groupId;
    private final Limits limits;
    private final Clock clock;
    private final Ed25519 ed25519 = new Ed25519();

    /** @param groupId the genesis hash of the group this node belongs to (or is joining) */
    public BlockVerifier(String groupId, Limits limits, Clock clock) {
        this.groupId = Hex.encode(Hex.decode(groupId, Block.HASH_BYTES, "group id"));
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void verify(Block block) throws BlockRejectedException {
        verifyHashed(block);
        verifySignature(block);
    }

    /**
     * {@link #verify}, except that a block {@code held} says this node already has skips the signature check, and
     * is answered true. Every other rule runs first: a block that passes them is exactly the block its hash names,
     * so a copy of a held one is a duplicate whatever signature it carries.
     */
    public boolean verifyUnlessHeld(Block block, Predicate<String> held) throws BlockRejectedException {
        verifyHashed(block);
        if (held.test(block.hash())) {
            return true;
        }
        verifySignature(block);
        return false;
    }

    public String groupId() {
        return groupId;
    }

    /** Every rule but the signature: a block that passes is exactly the block its hash names. */
    public void verifyHashed(Block block) throws BlockRejectedException {
        verifyShape(block);
        String digest = block.body().digest();
        if (!digest.equals(block.header().bodyDigest())) {
            throw new BlockRejectedException(RejectReason.BODY_MISMATCH, "block " + block.hash() + " names body "
                    + block.header().bodyDigest() + ", its body hashes to " + digest);
        }
        String expected = block.header().hash();
        if (!expected.equals(block.hash())) {
            throw new BlockRejectedException(RejectReason.BAD_HASH, "claimed " + block.hash() + ", header hashes to " + expected);
        }
        if (block.isGenesis() && !block.hash().equals(groupId)) {
            throw new BlockRejectedException(RejectReason.WRONG_GROUP, "genesis " + block.hash() + " is not group " + groupId);
        }
    }

    private void verifySignature(Block block) throws BlockRejectedException {
        if (!ed25519.verify(block.author(), Hex.decode(block.hash(), Block.HASH_BYTES, "hash"), block.signature())) {
            throw new BlockRejectedException(RejectReason.BAD_SIGNATURE, "block " + block.hash() + " by " + block.author());
        }
    }

    /** The rules that need neither hashing nor the ledger. */
    public void verifyShape(Block block) throws BlockRejectedException {
        Header header = block.header();
        if (header.isGenesis()) {
            if (!header.group().isEmpty() || !header.parents().isEmpty() || header.height() != 0) {
                throw new BlockRejectedException(RejectReason.MALFORMED, "a genesis names no group and no parents, at height 0");
            }
        } else {
            if (!header.group().equals(groupId)) {
                throw new BlockRejectedException(RejectReason.WRONG_GROUP, "block " + block.hash() + " is of group '"
                        + header.group() + "', this node's is " + groupId);
            }
            if (header.parents().isEmpty() || header.height() == 0) {
                throw new BlockRejectedException(RejectReason.WRONG_HEIGHT, "a block after the genesis has parents and"
                        + " a height above 0; block " + block.hash() + " has " + header.parents().size() + " at height " + header.height());
            }
        }
        if (header.parents().size() > limits.maxParents()) {
            throw new BlockRejectedException(RejectReason.FIELD_TOO_LONG, header.parents().size()
                    + " parents, at most " + limits.maxParents() + " allowed");
        }
        long latest = clock.millis() + limits.maxClockSkew().toMillis();
        if (header.timestamp().toEpochMilli() > latest) {
            throw new BlockRejectedException(RejectReason.FUTURE_TIMESTAMP, header.timestamp()
                    + " is more than " + limits.maxClockSkew() + " ahead of this node's clock");
        }
        verifyBody(block.body());
    }

    private void verifyBody(Body body) throws BlockRejectedException {
        int names = limits.maxSenderBytes();
        if (body instanceof Body.Genesis genesis) {
            Texts.checkVisible(genesis.groupName(), "group name", names, RejectReason.MALFORMED);
            Texts.checkVisible(genesis.founderName(), "founder's name", names, RejectReason.MALFORMED);
        } else if (body instanceof Body.Admit admit) {
            Texts.checkVisible(admit.name(), "joiner's name", names, RejectReason.MALFORMED);
        } else if (body instanceof Body.Message message) {
            Texts.checkVisible(message.text(), "message", limits.maxMessageBytes(), RejectReason.EMPTY_MESSAGE);
        }
        // The other bodies hold only keys, hashes, a rank and an instant, each checked by its record.
    }

    /** The height rule, once every parent is known: {@code parentHeights} maps each parent hash to its height. */
    public void verifyHeight(Block block, Map<String, Long> parentHeights) throws BlockRejectedException {
        long expected = 0;
        for (String parent : block.parents()) {
            Long parentHeight = parentHeights.get(parent);
            if (parentHeight == null) {
                throw new BlockRejectedException(RejectReason.UNKNOWN_PARENT, parent);
            }
            expected = Math.max(expected, parentHeight + 1);
        }
        if (block.height() != expected) {
            throw new BlockRejectedException(RejectReason.WRONG_HEIGHT, "block " + block.hash() + " has height "
                    + block.height() + ", its parents make it " + expected);
        }
    }

    /** Blank is more than white space: see {@link Texts#hasVisibleCharacter}. */
    public static boolean hasVisibleCharacter(String text) {
        return Texts.hasVisibleCharacter(text);
    }
}
