package net.ledgerchat.peer;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * One side of a link's handshake. Both sides send {@code HELLO} (version, group, key, name, heads and a
 * fresh random challenge) at once; each answers the other's with {@code PROOF}, a signature over the
 * other's challenge and both keys and the group, so a peer proves it holds the key it claims and a
 * proof cannot be replayed on another link. The signed text starts with its own tag and is longer
 * than a block hash, so it can never pass for a block signature. Not thread-safe: one per connection.
 */
public final class Handshake {
    public static final int VERSION = 1;
    public static final String HELLO = "HELLO";
    public static final String PROOF = "PROOF";
    /** Heads a HELLO may carry: more than a block may name is not a real node's head set. */
    public static final int MAX_HEADS = 1_024;
    private static final int MAX_NAME_BYTES = 256;
    private static final byte[] TAG = "ledgerchat/link-proof/v1".getBytes(StandardCharsets.US_ASCII);
    private final NodeIdentity me;
    private final String groupId;
    private final String name;
    private final Optional<String> pinnedKey;
    private final Ed25519 ed25519 = new Ed25519();
    private final String challenge;
    private PeerHello peer;
    /** The key the link's TLS handshake authenticated, once known: the HELLO must claim exactly this key. */
    private String linkKey;

    /** What the other side said in its HELLO, checked. */
    public record PeerHello(String key, String name, List<String> heads, String challenge) {
        public PeerHello {
            heads = List.copyOf(heads);
        }
    }

    public Handshake(NodeIdentity me, String groupId, String name, Optional<String> pinnedKey, SecureRandom random) {
        this.me = Objects.requireNonNull(me, "me");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.name = Objects.requireNonNull(name, "name");
        this.pinnedKey = Objects.requireNonNull(pinnedKey, "pinnedKey");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.challenge = Hex.encode(bytes);
    }

    /** This side's own key. */
    public String key() {
        return me.publicKey();
    }

    public Frame hello(List<String> heads) {
        JsonArrayBuilder list = JsonP.PROVIDER.createArrayBuilder();
        heads.forEach(list::add);
        return new Frame(HELLO, JsonP.PROVIDER.createObjectBuilder().add("version", VERSION).add("group", groupId)
                .add("key", me.publicKey()).add("name", name).add("heads", list).add("challenge", challenge).build());
    }

    /** Checks the other side's HELLO; the answer to send is {@link #proof()}. */
    public PeerHello receiveHello(Frame hello) throws FrameException {
        if (!hello.type().equals(HELLO)) {
            throw new FrameException(FrameException.Reason.UNAUTHENTICATED, "expected HELLO first, got " + hello.type());
        }
        JsonObject body = hello.body();
        if (integer(body, "version") != VERSION) {
            throw new FrameException(FrameException.Reason.BAD_VERSION, "protocol version " + integer(body, "version")
                    + ", this node speaks " + VERSION);
        }
        String group = text(body, "group");
        if (!group.equals(groupId)) {
            throw new FrameException(FrameException.Reason.WRONG_GROUP, "group '" + shorten(group) + "' is not this node's");
        }
        String key = hex(body, "key", Block.KEY_BYTES);
        if (key.equals(me.publicKey())) {
            throw new FrameException(FrameException.Reason.KEY_REFUSED, "the peer is this node itself");
        }
        if (linkKey != null && !linkKey.equals(key)) {
            throw new FrameException(FrameException.Reason.KEY_REFUSED, "HELLO claims key " + key
                    + ", the TLS link was authenticated by key " + linkKey);
        }
        if (pinnedKey.isPresent() && !pinnedKey.get().equals(key)) {
            throw new FrameException(FrameException.Reason.KEY_REFUSED, "key " + key + " is not the pinned key");
        }
        String peerName = text(body, "name");
        if (peerName.isBlank() || peerName.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new FrameException(FrameException.Reason.MALFORMED, "name must be 1 to " + MAX_NAME_BYTES + " bytes");
        }
        peer = new PeerHello(key, peerName, heads(body), hex(body, "challenge", 32));
        return peer;
    }

    /** The key the transport authenticated (TLS): a HELLO claiming any other key is refused. */
    public void linkAuthenticated(String key) {
        if (!Hex.isHex(key, Block.KEY_BYTES)) {
            throw new IllegalArgumentException("a link key is " + Block.KEY_BYTES * 2 + " hex digits");
        }
        if (peer != null) {
            throw new IllegalStateException("the link key must be known before the peer's HELLO is read");
        }
        linkKey = key;
    }

    public Frame proof() {
        requireHello();
        String signature = me.sign(signed(peer.challenge(), me.publicKey(), peer.key()));
        return new Frame(PROOF, JsonP.PROVIDER.createObjectBuilder().add("signature", signature).build());
    }

    /** Checks the other side's PROOF against the challenge this side sent; after it the link is authenticated. */
    public void receiveProof(Frame proof) throws FrameException {
        requireHello();
        if (!proof.type().equals(PROOF)) {
            throw new FrameException(FrameException.Reason.UNAUTHENTICATED, "expected PROOF, got " + proof.type());
        }
        String signature = hex(proof.body(), "signature", Block.SIGNATURE_BYTES);
        if (!ed25519.verify(peer.key(), signed(challenge, peer.key(), me.publicKey()), signature)) {
            throw new FrameException(FrameException.Reason.UNAUTHENTICATED, "the proof is not signed by key " + peer.key());
        }
    }

    private byte[] signed(String challengeHex, String signerKey, String verifierKey) {
        byte[] group = groupId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(TAG.length + 32 + 32 + 32 + 4 + group.length);
        out.put(TAG).put(Hex.decode(challengeHex, 32, "challenge")).put(Hex.decode(signerKey, 32, "key"))
                .put(Hex.decode(verifierKey, 32, "key")).putInt(group.length).put(group);
        return out.array();
    }

    private void requireHello() {
        if (peer == null) {
            throw new IllegalStateException("no HELLO received yet");
        }
    }

    private static List<String> heads(JsonObject body) throws FrameException {
        JsonValue value = body.get("heads");
        if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new FrameException(FrameException.Reason.MALFORMED, "heads must be a list");
        }
        if (value.asJsonArray().size() > MAX_HEADS) {
            throw new FrameException(FrameException.Reason.MALFORMED, "more than " + MAX_HEADS + " heads");
        }
        List<String> heads = new ArrayList<>();
        for (JsonValue head : value.asJsonArray()) {
            if (!(head instanceof JsonString s) || !Hex.isHex(s.getString(), Block.HASH_BYTES)) {
                throw new FrameException(FrameException.Reason.MALFORMED, "a head is not a block hash");
            }
            heads.add(s.getString());
        }
        return heads;
    }

    private static String text(JsonObject body, String field) throws FrameException {
        return JsonFields.text(body, field, "");
    }

    private static String hex(JsonObject body, String field, int bytes) throws FrameException {
        String value = text(body, field);
        if (!Hex.isHex(value, bytes)) {
            throw new FrameException(FrameException.Reason.MALFORMED, field + " must be " + bytes * 2 + " hex digits");
        }
        return value;
    }

    private static long integer(JsonObject body, String field) throws FrameException {
        return JsonFields.wholeNumber(body, field, "");
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
