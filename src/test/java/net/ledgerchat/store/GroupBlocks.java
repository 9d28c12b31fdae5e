package net.ledgerchat.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.membership.Context;
import net.ledgerchat.membership.Membership;
import net.ledgerchat.membership.Refusal;

/**
 * The blocks of one format-2 group as a node places them (DESIGN section 7), for the store tests to store: the
 * genesis by the founder, then for each other member an invite by the founder and that member's admit, then
 * messages by any member on whatever parents a test chooses. Each block is checked by the real membership rules
 * at its parents before it is handed out (a block a node would refuse is never written here), and comes with what
 * the writer stores beside it: its membership context (the membership blocks latest in its parents' past, by the
 * real {@link Membership}) and, for a message, how it is shown (it counts; its author's name from the admit).
 */
final class GroupBlocks {
    private final String id;
    private final Membership membership;
    /** The context each placed block's children inherit: itself for a membership block, else its parents'. */
    private final Map<String, Context> inherited = new HashMap<>();
    private final Map<String, OrderKey> keys = new HashMap<>();
    private final List<Placed> founding = new ArrayList<>();
    private final Random random;
    private long clock;

    /** A placed block: its order key, the context stored with it and, for a message only, how it is shown. */
    record Placed(Block block, OrderKey key, List<String> context, Shown shown) {
        Placed {
            context = List.copyOf(context);
        }

        /** What the writer appends for it, sealed with {@code seal}. */
        LedgerRepository.Append append(Seal seal, String sendKey) {
            return new LedgerRepository.Append(block, key, seal.compute(block.hash(), block.signature(), key.orderTs(), context),
                    context, shown, shown == null ? null : seal.shown(block.hash(), shown.counts(), shown.name()), sendKey);
        }
    }

    private GroupBlocks(Block genesis, Random random) {
        this.id = genesis.hash();
        this.membership = new Membership(id);
        this.random = random;
        this.clock = genesis.timestamp().toEpochMilli();
        record(genesis, List.of());
    }

    /**
     * Founds a group at {@code start}: {@code members[0]} is the founder, every other member is invited by the
     * founder and admitted, one millisecond apart, in a line.
     */
    static GroupBlocks found(String groupName, List<NodeIdentity> members, Instant start, Random random) {
        NodeIdentity founder = members.get(0);
        GroupBlocks group = new GroupBlocks(new BlockFactory(founder).found(groupName, nameOf(founder), start), random);
        for (NodeIdentity joiner : members.subList(1, members.size())) {
            InviteKey secret = InviteKey.generate();
            Placed invite = group.place(founder, List.of(group.last()), group.tick(),
                    new Body.Invite(secret.publicKey(), start.plusSeconds(30 * 86_400)));
            group.founding.add(invite);
            String proof = secret.prove(group.id, invite.block().hash(), joiner.publicKey());
            group.founding.add(group.place(founder, List.of(invite.key()), group.tick(),
                    new Body.Admit(joiner.publicKey(), nameOf(joiner), invite.block().hash(), proof)));
        }
        return group;
    }

    /** The display name the tests' genesis and admits give a member. */
    static String nameOf(NodeIdentity member) {
        return "Author " + member.publicKey().substring(0, 6);
    }

    /** A message body with a random salt from {@code random}. */
    static Body.Message message(String text, Random random) {
        byte[] salt = new byte[Body.SALT_BYTES];
        random.nextBytes(salt);
        return new Body.Message(Hex.encode(salt), text);
    }

    /** The group id: the genesis hash. */
    String id() {
        return id;
    }

    /** The genesis, invites and admits, in the order they were written (parents first). */
    List<Placed> founding() {
        return List.copyOf(founding);
    }

    /** The founding's last block, which the first message follows. */
    OrderKey last() {
        return founding.get(founding.size() - 1).key();
    }

    /** The founding's last timestamp, in epoch milliseconds: messages come after it. */
    long foundedAt() {
        return clock;
    }

    /** A message by {@code author} following {@code parents}, written at {@code ts}. */
    Placed message(NodeIdentity author, List<OrderKey> parents, Instant ts, String text) {
        return place(author, parents, ts, message(text, random));
    }

    /** A block by {@code author} following {@code parents} (all placed here before); refused ones fail the test. */
    Placed place(NodeIdentity author, List<OrderKey> parents, Instant ts, Body body) {
        List<Context> contexts = new ArrayList<>(parents.size());
        long parentOrderTs = 0;
        for (OrderKey parent : parents) {
            Context context = inherited.get(parent.hash());
            if (context == null || !parent.equals(keys.get(parent.hash()))) {
                throw new IllegalArgumentException("parent " + parent + " was not placed in this group");
            }
            contexts.add(context);
            parentOrderTs = Math.max(parentOrderTs, parent.orderTs());
        }
        Block block = new BlockFactory(author).write(id, parents, ts, body);
        Context atParents = membership.contextAfter(contexts);
        Optional<Refusal> refusal = membership.check(block, atParents);
        if (refusal.isPresent()) {
            throw new IllegalStateException("a node would refuse this " + block.kind().wireName() + " block: "
                    + refusal.get().description());
        }
        Placed placed = new Placed(block, OrderKey.of(block, parentOrderTs), membership.hashesOf(atParents),
                block.kind() == Kind.MESSAGE
                        // A new block is nobody's ancestor yet, so none of the stored blocks follows it.
                        ? new Shown(membership.counts(block, atParents, (ancestor, descendant) -> false),
                                membership.nameOf(author.publicKey()).orElseThrow())
                        : null);
        remember(placed, membership.record(block, atParents));
        return placed;
    }

    private void record(Block genesis, List<String> context) {
        Placed placed = new Placed(genesis, OrderKey.of(genesis, 0), context, null);
        if (membership.check(genesis, Context.EMPTY).isPresent()) {
            throw new IllegalStateException("the genesis is refused");
        }
        remember(placed, membership.record(genesis, Context.EMPTY));
        founding.add(placed);
    }

    private void remember(Placed placed, Context forChildren) {
        inherited.put(placed.block().hash(), forChildren);
        keys.put(placed.block().hash(), placed.key());
    }

    private Instant tick() {
        return Instant.ofEpochMilli(++clock);
    }
}
