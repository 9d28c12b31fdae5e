package net.ledgerchat.it.process;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
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

    Forgeries(String group, NodeIdentity attacker) {
        this.group = group;
        this.attacker = attacker;
        this.factory = new BlockFactory(group, attacker);
    }

    /** A true block by the attacker's own key with no parents: a node stores it (the control case). */
    Block honest(String text) {
        return factory.create(List.of(), "attacker", now(), text);
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
        return new Forged(Json.createObjectBuilder(BlockCodec.toJson(block)).add("message", text + " (edited)").build(),
                block.hash());
    }

    /** Correctly hashed and signed, but naming 10,000 parents nobody has (a block may name 64). */
    Forged tenThousandUnknownParents(String text) {
        List<OrderKey> parents = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            parents.add(new OrderKey(0, 0, String.format("%064x", i + 1)));
        }
        Block block = factory.create(parents, "attacker", now(), text);
        return new Forged(BlockCodec.toJson(block), block.hash());
    }

    /** Claims {@code authorKey} (another node, or the victim itself) as its author, signed by the attacker. */
    Forged impersonating(String authorKey, String text) {
        Instant at = now();
        String hash = BlockEncoding.hash(group, List.of(), 0, authorKey, "impostor", at, text);
        String signature = attacker.sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        Block block = new Block(List.of(), 0, authorKey, "impostor", at, text, hash, signature);
        return new Forged(BlockCodec.toJson(block), hash);
    }

    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
