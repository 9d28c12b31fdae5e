package net.ledgerchat.it.process;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.peer.BlockCodec;

/**
 * Blocks an attacker sends, each false in exactly one way and otherwise built by the production factory,
 * encoding and codec, so a node that refuses them refuses them for that one flaw.
 */
final class Forgeries {
    /** A block as it goes on the wire, and the hash it claims (what must never appear in the node's ledger). */
    record Forged(JsonObject json, String hash) {
    }

    private final String group;
    private final NodeIdentity attacker;
    private final BlockFactory factory;
    /** The victim's heads now: an honest block follows them, so that it is checked at the parents it names. */
    private final Supplier<List<OrderKey>> heads;

    Forgeries(String group, NodeIdentity attacker, Supplier<List<OrderKey>> heads) {
        this.group = group;
        this.attacker = attacker;
        this.factory = new BlockFactory(attacker);
        this.heads = heads;
    }

    /** A true message by the attacker's own key after the victim's heads: a node stores it if the attacker is a member. */
    Block honest(String text) {
        return factory.write(group, heads.get(), now(), message(text));
    }

    /** A true block whose signature is replaced by the attacker's signature of another block. */
    Forged badSignature(String text) {
        Block block = honest(text);
        String other = honest(text + " (another block)").signature();
        return new Forged(Json.createObjectBuilder(BlockCodec.toJson(block)).add("signature", other).build(), block.hash());
    }

    /** A true block whose text is changed after it was hashed and signed. */
    Forged badHash(String text) {
        Block block = honest(text);
        String edited = Base64.getEncoder().encodeToString(message(text + " (edited)").encode());
        return new Forged(Json.createObjectBuilder(BlockCodec.toJson(block)).add("body", edited).build(), block.hash());
    }

    /** Correctly hashed and signed, but naming 10,000 parents nobody has (a block may name 64). */
    Forged tenThousandUnknownParents(String text) {
        List<OrderKey> parents = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            parents.add(new OrderKey(0, 0, String.format("%064x", i + 1)));
        }
        Block block = factory.write(group, parents, now(), message(text));
        return new Forged(BlockCodec.toJson(block), block.hash());
    }

    /** Claims {@code authorKey} (another node, or the victim itself) as its author, signed by the attacker. */
    Forged impersonating(String authorKey, String text) {
        Block honest = honest(text);
        Header claimed = new Header(group, honest.parents(), honest.height(), authorKey, honest.timestamp(), honest.kind(),
                honest.header().bodyDigest());
        String hash = claimed.hash();
        Block block = new Block(claimed, honest.body(), hash, attacker.sign(Hex.decode(hash, Block.HASH_BYTES, "hash")));
        return new Forged(BlockCodec.toJson(block), hash);
    }

    private static Body.Message message(String text) {
        byte[] salt = new byte[Body.SALT_BYTES];
        new java.security.SecureRandom().nextBytes(salt);
        return new Body.Message(Hex.encode(salt), text);
    }

    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
