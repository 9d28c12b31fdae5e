package net.ledgerchat.peer;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;

/**
 * What the peer of one link may do and is given, by the membership (DESIGN section 7): a member's link syncs both
 * ways; a key this node does not know as a member may present one invite and is given nothing; a node joining its
 * group presents its invite; a node that cannot judge yet asks and serves only members. Any thread may ask whether
 * the link serves its peer; the rest runs on the link's reader.
 */
final class LinkStanding {
    private static final Logger LOG = Logger.getLogger(LinkStanding.class.getName());

    /** Where a link goes once both sides proved their keys. */
    enum Start { JOINING, READY, GUEST }

    private final LedgerPort ledger;
    private final String ownKey;
    private String peer;
    private String peerKey;
    /** Whether this node serves the peer (answers its sync requests, forwards blocks): only a member's link does. */
    private volatile boolean serving;
    /** Whether this node has known the peer as a member on this link: only then does a removal close it. */
    private volatile boolean peerWasMember;
    /** Whether this link holds the node's invite claim ({@link LedgerPort#claimJoin}); any thread may end it. */
    private final AtomicBoolean presentedInvite = new AtomicBoolean();
    /** Whether a member answered this link's JOIN with JOINED. */
    private volatile boolean admitted;

    LinkStanding(LedgerPort ledger, String ownKey) {
        this.ledger = ledger;
        this.ownKey = ownKey;
    }

    boolean serving() {
        return serving;
    }

    /** The invite to present if this node joins, claimed for this link; empty otherwise. */
    Optional<LedgerPort.JoinRequest> claimJoin() {
        Optional<LedgerPort.JoinRequest> join = ledger.claimJoin();
        presentedInvite.set(join.isPresent());
        return join;
    }

    /** Where the link goes after the handshake with {@code key} (named {@code name} in the log), unless it joins. */
    Start authenticated(String name, String key) {
        this.peer = name + " (" + key + ")";
        this.peerKey = key;
        if (ledger.isMember(key) || !ledger.isMember(ownKey) || !ledger.wantedBlocks().isEmpty()) {
            // A node that cannot judge yet (its own admit has not reached it, or a repair waits for blocks, membership
            // blocks among them perhaps) asks anyone who proves a key of its group, and serves only those it knows as
            // members; the peer decides what it answers.
            serving = ledger.isMember(key);
            peerWasMember = serving;
            return Start.READY;
        }
        return Start.GUEST;
    }

    /** A guest presents an invite: its admit, or the refusal both sides log. */
    Block admit(String name, String invite, String proof) throws BlockRejectedException {
        try {
            Block admit = ledger.admit(peerKey, name, invite, proof);
            LOG.info(() -> "[Members] Admitted " + peer + " with invite " + invite + ": admit " + admit.hash());
            serving = true;
            peerWasMember = true;
            return admit;
        } catch (BlockRejectedException e) {
            LOG.warning(() -> "[Members] Refused " + peer + " who presented invite " + shorten(invite) + ": " + e.getMessage());
            throw e;
        }
    }

    /** A member answered this node's invite: the history follows. */
    void joined() {
        LOG.info(() -> "[Members] " + peer + " admitted this node; receiving the history");
        admitted = true;
        serving = ledger.isMember(peerKey);
        peerWasMember = serving;
    }

    /** A member refused this node's invite, for {@code reason}. */
    void joinRefused(String reason) {
        ledger.joinRefused(peer, reason);
    }

    /** The membership changed: whether the link must close (the peer was a member here and no longer is). */
    boolean removedByChange() {
        if (ledger.isMember(peerKey)) {
            peerWasMember = true;
            serving = true;
            return false;
        }
        if (peerWasMember) {
            LOG.info(() -> "[Members] Closing the link to " + peer + ": no longer a member");
            return true;
        }
        return false;
    }

    /** The link ended: an invite it presented may be presented on another, unless a member admitted this node on it. */
    void ended() {
        if (presentedInvite.compareAndSet(true, false)) {
            ledger.joinEnded(admitted);
        }
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
