package net.ledgerchat.ledger;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Every rule a block must pass before it is stored (DESIGN section 2). Cheap checks run first so
 * a flood of junk costs as little as possible; the signature is checked last.
 */
public final class BlockVerifier {
    private final String groupId;
    private final Limits limits;
    private final Clock clock;
    private final Ed25519 ed25519 = new Ed25519();

    public BlockVerifier(String groupId, Limits limits, Clock clock) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The checks that need nothing but the block itself. */
    public void verifyContent(Block block) throws BlockRejectedException {
        verifyHashed(block);
        verifySignature(block);
    }

    /**
     * {@link #verifyContent}, except that a block {@code held} says this node already has skips the signature
     * check, and is answered true. Every other rule runs first: a block that passes them is exactly the
     * block its hash names, so a copy of a held one is a duplicate whatever signature it carries.
     */
    public boolean verifyUnlessHeld(Block block, java.util.function.Predicate<String> held) throws BlockRejectedException {
        verifyHashed(block);
        if (held.test(block.hash())) {
            return true;
        }
        verifySignature(block);
        return false;
    }

    private void verifyHashed(Block block) throws BlockRejectedException {
        verifyShape(block);
        String expected = BlockEncoding.hash(groupId, block);
        if (!expected.equals(block.hash())) {
            throw new BlockRejectedException(RejectReason.BAD_HASH, "claimed " + block.hash() + ", contents hash to " + expected);
        }
    }

    /** The author's signature over the (checked) hash: the expensive check, run last. */
    private void verifySignature(Block block) throws BlockRejectedException {
        if (!ed25519.verify(block.author(), Hex.decode(block.hash(), Block.HASH_BYTES, "hash"), block.signature())) {
            throw new BlockRejectedException(RejectReason.BAD_SIGNATURE, "block " + block.hash() + " by " + block.author());
        }
    }

    /**
     * Every content rule except hash and signature: what this node checks on its own new blocks,
     * whose hash and signature it has just computed itself.
     */
    public void verifyShape(Block block) throws BlockRejectedException {
        checkText(block.message(), "message", limits.maxMessageBytes());
        checkText(block.sender(), "sender", limits.maxSenderBytes());
        if (!hasVisibleCharacter(block.message())) {
            throw new BlockRejectedException(RejectReason.EMPTY_MESSAGE, "block " + block.hash());
        }
        if (!hasVisibleCharacter(block.sender())) {
            throw new BlockRejectedException(RejectReason.MALFORMED, "empty sender in block " + block.hash());
        }
        if (block.parents().size() > limits.maxParents()) {
            throw new BlockRejectedException(RejectReason.FIELD_TOO_LONG, block.parents().size()
                    + " parents, at most " + limits.maxParents() + " allowed");
        }
        long latest = clock.millis() + limits.maxClockSkew().toMillis();
        if (block.timestamp().toEpochMilli() > latest) {
            throw new BlockRejectedException(RejectReason.FUTURE_TIMESTAMP, block.timestamp()
                    + " is more than " + limits.maxClockSkew() + " ahead of this node's clock");
        }
        if (block.parents().isEmpty() != (block.height() == 0)) {
            throw new BlockRejectedException(RejectReason.WRONG_HEIGHT, "height " + block.height()
                    + " with " + block.parents().size() + " parents");
        }
    }

    /** The height rule, once every parent is known: {@code parentHeights} maps each parent hash to its height. */
    public void verifyHeight(Block block, Map<String, Long> parentHeights) throws BlockRejectedException {
        verifyHeight(block.hash(), block.parents(), block.height(), parentHeights);
    }

    /** 1 + the highest parent height, every parent known: the same rule for both block formats. */
    static void verifyHeight(String hash, java.util.List<String> parents, long height, Map<String, Long> parentHeights)
            throws BlockRejectedException {
        long expected = 0;
        for (String parent : parents) {
            Long parentHeight = parentHeights.get(parent);
            if (parentHeight == null) {
                throw new BlockRejectedException(RejectReason.UNKNOWN_PARENT, parent);
            }
            expected = Math.max(expected, parentHeight + 1);
        }
        if (height != expected) {
            throw new BlockRejectedException(RejectReason.WRONG_HEIGHT, "block " + hash + " has height "
                    + height + ", its parents make it " + expected);
        }
    }

    /** Blank is more than white space: see {@link Texts#hasVisibleCharacter}. */
    public static boolean hasVisibleCharacter(String text) {
        return Texts.hasVisibleCharacter(text);
    }

    private static void checkText(String text, String field, int maxBytes) throws BlockRejectedException {
        Texts.check(text, field, maxBytes);
    }
}
