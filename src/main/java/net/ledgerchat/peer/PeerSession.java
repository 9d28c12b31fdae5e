package net.ledgerchat.peer;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.RecentHashes;

/**
 * The protocol of one link, without sockets: frames in, frames out. First the handshake (HELLO, then
 * PROOF); then NEW_BLOCK (a block to verify and store, which the ledger then announces like any other it stores,
 * so that {@link Gossip} forwards it; one whose parents are missing starts a sync), SYNC_REQUEST (answered by
 * {@link SyncAnswer}) and SYNC_RESPONSE (blocks to verify and store, each batch checked while the one
 * before it is stored; a last batch that stored something and leaves blocks waiting asks again). Anything malformed, out of turn or failing
 * verification gets an ERROR frame and the link is closed: it never reaches the ledger. Not
 * thread-safe: the transport delivers one frame at a time ({@link #forward} excepted).
 */
public final class PeerSession implements Gossip.Link {
    private static final Logger LOG = Logger.getLogger(PeerSession.class.getName());
    static final Set<String> TYPES = Set.of(Handshake.HELLO, Handshake.PROOF, "JOIN", "JOINED", "NEW_BLOCK",
            "SYNC_REQUEST", "SYNC_RESPONSE", "ERROR");
    private static final int HEARD_CAPACITY = 8_192;

    /** Where the session's output goes: frames to the peer, and the end of the link. */
    public interface Outbox {
        void send(Frame frame);

        /** A frame already encoded (a forwarded block, encoded once for every link): may be called from any thread. */
        void sendEncoded(byte[] frame);

        void close(String reason);
    }

    /**
     * After the handshake a member's link is READY; a peer this node does not know as a member is a GUEST that may
     * send one JOIN and nothing else; a node joining its group waits in JOINING for a member's JOINED.
     */
    private enum State { HELLO, PROOF, GUEST, JOINING, READY, CLOSED }

    private final Handshake handshake;
    private final LedgerPort ledger;
    private final Outbox out;
    private final Limits limits;
    private final int batchSize;
    private final SyncAnswer syncAnswer;
    /** Volatile: {@link #ready()} and {@link #forwardFrame} are read by threads that do not hold the link's lock. */
    /** ERROR reasons by which a peer says it does not take this node. */
    private static final String NOT_A_MEMBER = FrameException.Reason.NOT_A_MEMBER.name();
    private static final String JOIN_REFUSED = "JOIN_REFUSED";
    private volatile State state = State.HELLO;
    private volatile boolean refusedByPeer;
    private Handshake.PeerHello peer;
    private final PeerHeads peerHeads = new PeerHeads();
    /** A sync batch (more follow) whose checks run while this thread stores the batch before it. */
    private LedgerPort.Checking ahead;
    /** What this peer sent lately: forwarding those back would only earn a DUPLICATE. */
    private final RecentHashes heard = new RecentHashes(HEARD_CAPACITY);
    /** What the peer may do and is given, by the membership. */
    private final LinkStanding standing;

    public PeerSession(Handshake handshake, LedgerPort ledger, Outbox out, Limits limits, int batchSize) {
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.out = Objects.requireNonNull(out, "out");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        this.batchSize = batchSize;
        this.syncAnswer = new SyncAnswer(ledger, batchSize);
        this.standing = new LinkStanding(ledger, handshake.key());
    }

    /** Starts the link: both sides say HELLO at once. */
    public void open() {
        out.send(handshake.hello(ledger.heads()));
    }

    public boolean ready() {
        return state == State.READY;
    }

    /**
     * Whether the peer ended this link because it does not take this node (not a member there, or its invite
     * refused): dialling it again at once would only be refused again.
     */
    public boolean refusedByPeer() {
        return refusedByPeer;
    }

    /** The transport (TLS) authenticated the peer by {@code key}: its HELLO must claim that key. */
    public void linkAuthenticated(String key) {
        handshake.linkAuthenticated(key);
    }

    /** The peer's key once it has said HELLO, else null. */
    public String peerKey() {
        return peer == null ? null : peer.key();
    }

    /** The peer's display name once it has said HELLO, else null. */
    public String peerName() {
        return peer == null ? null : peer.name();
    }

    /** The heads the peer last told (in its HELLO or its latest sync request), sorted. */
    public List<String> peerHeads() {
        return peerHeads.now();
    }

    public void receive(byte[] line) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            dispatch(Frame.decode(line, TYPES));
        } catch (FrameException e) {
            refuse(e.reason().name(), e.getMessage());
        } catch (BlockRejectedException e) {
            refuse("REJECTED_BLOCK", e.getMessage());
        }
    }

    /**
     * Forwards a stored block unless the peer sent it lately: {@link Gossip}'s one path for every link. Takes no lock
     * and any thread may call it (the writer announces blocks while it commits, and a reader holding the link's lock
     * may be waiting for that very commit); {@code frame} is encoded only if the block goes out.
     */
    @Override
    public void forward(Block block, java.util.function.Supplier<byte[]> frame) {
        if (state == State.READY && standing.serving() && !sentUs(block.hash())) {
            out.sendEncoded(frame.get());
            peerNowHolds(block);
        }
    }

    /** A block crossed the link (either way): the peer holds it now. Any thread. */
    public void peerNowHolds(Block block) {
        peerHeads.crossed(block);
    }

    /** Whether the peer sent this block lately (any thread may ask). */
    public boolean sentUs(String hash) {
        return heard.contains(hash);
    }

    /** The frame that forwards {@code block}; it depends on nothing in the session, so any thread may build it. */
    public static Frame forwardFrame(Block block) {
        return new Frame("NEW_BLOCK", JsonP.PROVIDER.createObjectBuilder().add("block", BlockCodec.toJson(block)).build());
    }

    /** Asks the peer for what this node lacks: on link up, on the sync timer, after damage was found. */
    public void requestSync() {
        if (state == State.READY) {
            JsonObjectBuilder request = JsonP.PROVIDER.createObjectBuilder().add("heads", list(ledger.heads()))
                    .add("probes", list(ledger.probes()));
            Set<String> wanted = ledger.wantedBlocks();
            if (!wanted.isEmpty()) {
                request.add("want", list(List.copyOf(wanted)));
            }
            out.send(new Frame("SYNC_REQUEST", request.build()));
        }
    }

    private void dispatch(Frame frame) throws FrameException, BlockRejectedException {
        if (frame.type().equals("ERROR")) {
            // In any state: the peer gives up on this link and says why; there is nothing to answer.
            LOG.info(() -> "[TCP] " + (peer == null ? "A peer" : peer.name()) + " closed the link: " + frame.body());
            String reason = frame.body().getString("reason", "");
            refusedByPeer = reason.equals(NOT_A_MEMBER) || reason.equals(JOIN_REFUSED);
            if (state == State.JOINING && reason.equals(JOIN_REFUSED)) {
                standing.joinRefused(frame.body().getString("detail", "no reason given"));
            }
            close("the peer reported " + frame.body());
            return;
        }
        switch (state) {
            case HELLO -> {
                peer = handshake.receiveHello(frame);
                peerHeads.told(peer.heads());
                state = State.PROOF;
                out.send(handshake.proof());
            }
            case PROOF -> {
                handshake.receiveProof(frame);
                LOG.fine(() -> "[TCP] Link to " + peer.name() + " (" + peer.key() + ") authenticated");
                authenticated();
            }
            case GUEST -> guest(frame);
            case JOINING -> joining(frame);
            case READY -> ready(frame);
            default -> throw new IllegalStateException("closed");
        }
    }

    /** Decides what the authenticated peer may do: a member syncs, a joining node presents its invite, a guest waits. */
    private void authenticated() {
        Optional<LedgerPort.JoinRequest> join = standing.claimJoin();
        if (join.isPresent()) {
            standing.authenticated(peer.name(), peer.key());
            state = State.JOINING;
            out.send(new Frame("JOIN", JsonP.PROVIDER.createObjectBuilder().add("invite", join.get().invite())
                    .add("proof", join.get().proof()).build()));
        } else if (standing.authenticated(peer.name(), peer.key()) == LinkStanding.Start.READY) {
            state = State.READY;
            requestSync();
        } else {
            // Nothing is sent to a guest: not a block, not a head beyond its HELLO.
            state = State.GUEST;
        }
    }

    /** A peer this node does not know as a member: one JOIN, or the link ends. */
    private void guest(Frame frame) throws FrameException {
        if (!frame.type().equals("JOIN")) {
            throw new FrameException(FrameException.Reason.NOT_A_MEMBER, peer.name() + " (" + peer.key()
                    + ") is not a member of this group and sent " + frame.type() + " instead of an invite");
        }
        try {
            standing.admit(peer.name(), JsonFields.text(frame.body(), "invite", "JOIN: "),
                    JsonFields.text(frame.body(), "proof", "JOIN: "));
        } catch (BlockRejectedException e) {
            // The joiner's page shows the detail: the rule it broke, not the admit this node would have written.
            out.send(new Frame("ERROR", JsonP.PROVIDER.createObjectBuilder().add("reason", JOIN_REFUSED)
                    .add("detail", e.why()).build()));
            close("join refused: " + e.getMessage());
            return;
        }
        out.send(joined());
        state = State.READY;
        requestSync();
    }

    /** Tells a joining peer it is a member: the history follows as it asks for it. */
    private Frame joined() {
        return new Frame("JOINED", JsonP.PROVIDER.createObjectBuilder().add("member", peer.key()).build());
    }

    /** This node presented its invite: the member answers JOINED, or refuses with an ERROR (handled before). */
    private void joining(Frame frame) throws FrameException, BlockRejectedException {
        if (!frame.type().equals("JOINED")) {
            // A member that knew this node already syncs at once; its JOINED follows.
            ready(frame);
            return;
        }
        standing.joined();
        state = State.READY;
        requestSync();
    }

    /**
     * The membership changed: a link to a peer this node knew as a member and no longer does closes at once. A
     * joining node learns its group's members from the history it receives, so one it did not know yet is kept.
     * Takes no lock, like {@link #forward}: the writer calls it while it commits.
     */
    @Override
    public void membershipChanged() {
        if (state == State.READY && peer != null && standing.removedByChange()) {
            out.send(new Frame("ERROR", JsonP.PROVIDER.createObjectBuilder().add("reason", NOT_A_MEMBER).build()));
            close("no longer a member");
        }
    }

    private void ready(Frame frame) throws FrameException, BlockRejectedException {
        if (!frame.type().equals("SYNC_RESPONSE")) {
            storeAhead();
        }
        switch (frame.type()) {
            case "NEW_BLOCK" -> {
                Block block = BlockCodec.fromJson(frame.body().get("block"), limits);
                heard.add(block.hash());
                peerNowHolds(block);
                LedgerPort.Accepted accepted = ledger.accept(block);
                if (accepted.waiting()) {
                    requestSync();
                }
            }
            case "SYNC_REQUEST" -> {
                peerHeads.told(SyncAnswer.heads(frame.body()));
                if (standing.serving()) {
                    syncAnswer.answer(frame.body(), peer.name(), out::send);
                } else {
                    // Not known here as a member: it gets nothing, and may ask again once this node knows it.
                    out.send(new Frame("SYNC_RESPONSE", JsonP.PROVIDER.createObjectBuilder()
                            .add("blocks", JsonP.PROVIDER.createArrayBuilder()).add("more", false).build()));
                }
            }
            case "SYNC_RESPONSE" -> syncResponse(frame.body());
            case "JOIN" -> {
                if (ledger.isMember(peer.key())) {
                    // Admitted before (through this node or another), its history not received yet: nothing to write.
                    out.send(joined());
                } else {
                    // A link this node only asks on (it could not judge yet): the invite is judged as a guest's.
                    guest(frame);
                }
            }
            default -> throw new FrameException(FrameException.Reason.UNAUTHENTICATED, frame.type() + " after the handshake");
        }
    }

    private void syncResponse(JsonObject response) throws FrameException, BlockRejectedException {
        JsonValue value = response.get("blocks");
        if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY || value.asJsonArray().size() > batchSize * 4) {
            throw new FrameException(FrameException.Reason.MALFORMED, "blocks must be a list of at most " + batchSize * 4);
        }
        List<Block> blocks = new ArrayList<>();
        for (JsonValue json : value.asJsonArray()) {
            blocks.add(BlockCodec.fromJson(json, limits));
        }
        blocks.forEach(b -> heard.add(b.hash()));
        // This batch's signatures are checked while the one before it is stored; the last is stored at once.
        LedgerPort.Checking checking = ledger.checkAhead(blocks);
        storeAhead();
        if (JsonValue.TRUE.equals(response.get("more"))) {
            ahead = checking;
            return;
        }
        Set<String> wantedBefore = ledger.wantedBlocks();
        LedgerPort.Accepted accepted = store(checking);
        List<Block> stored = accepted.stored();
        // Asking again only after progress (blocks stored, or a restored block naming lost parents to want
        // back): a peer that cannot fill the gap is not asked forever.
        boolean newlyWanted = !wantedBefore.containsAll(ledger.wantedBlocks());
        if (newlyWanted || !stored.isEmpty() && (accepted.waiting() || !ledger.wantedParents().isEmpty())) {
            requestSync();
        }
    }

    /** Stores the sync batch held back for its checks, if any: before anything that may build on it. */
    private void storeAhead() throws BlockRejectedException {
        LedgerPort.Checking held = ahead;
        ahead = null;
        if (held != null) {
            store(held);
        }
    }

    private LedgerPort.Accepted store(LedgerPort.Checking batch) throws BlockRejectedException {
        return ledger.acceptChecked(batch);
    }

    private static JsonArrayBuilder list(List<String> hashes) {
        JsonArrayBuilder array = JsonP.PROVIDER.createArrayBuilder();
        hashes.forEach(array::add);
        return array;
    }

    private void refuse(String reason, String detail) {
        LOG.warning(() -> "[TCP] Refused a frame from " + (peer == null ? "an unauthenticated peer" : peer.name() + " ("
                + peer.key() + ")") + ": " + detail);
        out.send(new Frame("ERROR", JsonP.PROVIDER.createObjectBuilder().add("reason", reason).build()));
        close(detail);
    }

    private void close(String reason) {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            standing.ended();
            out.close(reason);
        }
    }

    /** The transport ended the link (reset, timeout, shutdown): what it held is handed back. Any thread. */
    public void transportClosed() {
        standing.ended();
    }
}
