package net.ledgerchat.peer;

import java.util.List;
import java.util.function.Supplier;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.store.StoredBlock;

/**
 * The one way out for blocks a node stored, whatever stored them (its own send, a peer, a sync, a released pending
 * block): each goes to every link whose peer did not send it lately, encoded once for all of them. The node calls
 * it for every committed group ({@link PeerLinks}); the network simulation calls it the same way.
 */
public final class Gossip {
    /** A link end that forwards a stored block: a {@link PeerLink}, or a simulated link's {@link PeerSession}. */
    public interface Link {
        void forward(Block block, Supplier<byte[]> frame);

        /** The group's membership changed: a link to a peer no longer a member closes. */
        void membershipChanged();
    }

    private Gossip() {
    }

    /**
     * Forwards a committed group, except blocks that do not count (DESIGN section 7: sync still serves them); a
     * membership block among them makes every link check its peer is still a member. Forwarding comes first: the
     * peer a removal removes still receives it before its link closes, so its node learns why and can tell its owner.
     */
    public static void spreadStored(List<StoredBlock> stored, Iterable<? extends Link> links) {
        spread(stored.stream().filter(StoredBlock::counts).map(StoredBlock::block).toList(), links);
        if (stored.stream().anyMatch(b -> b.block().kind().isMembership())) {
            links.forEach(Link::membershipChanged);
        }
    }

    public static void spread(List<Block> stored, Iterable<? extends Link> links) {
        for (Block block : stored) {
            byte[][] encoded = new byte[1][];
            Supplier<byte[]> frame = () -> encoded[0] != null ? encoded[0]
                    : (encoded[0] = PeerSession.forwardFrame(block).encode());
            for (Link link : links) {
                link.forward(block, frame);
            }
        }
    }
}
