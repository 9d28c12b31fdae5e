package net.ledgerchat.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.membership.Context;
import net.ledgerchat.membership.Membership;
import net.ledgerchat.membership.Refusal;
import net.ledgerchat.ledger.Block;

/**
 * What the membership rules cost (DESIGN section 7), in memory, without a node: a group grows to N members by
 * invite and admit (a tenth promoted to admin), each membership block checked at its parents as a node checks it
 * on arrival; then a message is checked and judged at the newest context. In the "stale" variant a third of the
 * membership blocks are written on older parents (concurrent branches), which the resolver cannot build on.
 * <pre>mvn -q -DskipTests test-compile exec:java@membership-bench</pre>
 */
public final class MembershipBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private MembershipBench() {
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "%-8s %-7s %10s %12s %12s %12s %14s %14s%n", "members", "shape", "blocks",
                "check mean", "check max", "members()", "message check", "message counts");
        for (int members : new int[] {50, 200, 1_000}) {
            for (boolean stale : new boolean[] {false, true}) {
                run(members, stale);
            }
        }
    }

    private static void run(int members, boolean stale) {
        Random random = new Random(members);
        NodeIdentity founder = NodeIdentity.generate();
        BlockFactory author = new BlockFactory(founder);
        Block genesis = author.found("bench", "founder", T0);
        String group = genesis.hash();
        Membership membership = new Membership(group);
        List<Block> written = new ArrayList<>(List.of(genesis));
        List<Context> contexts = new ArrayList<>(List.of(membership.record(genesis, membership.contextAfter(List.of()))));
        long[] checkNanos = new long[2];
        long time = 0;
        NodeIdentity someone = founder;
        for (int i = 0; i < members; i++) {
            NodeIdentity joiner = NodeIdentity.generate();
            InviteKey key = InviteKey.generate();
            int parent = stale && random.nextInt(3) == 0 ? random.nextInt(written.size()) : written.size() - 1;
            Block invite = write(author, group, written.get(parent), ++time,
                    new Body.Invite(key.publicKey(), T0.plusSeconds(86_400)));
            Context atInvite = add(membership, invite, contexts.get(parent), written, contexts, checkNanos);
            Block admit = write(author, group, invite, ++time, new Body.Admit(joiner.publicKey(), "m" + i,
                    invite.hash(), key.prove(group, invite.hash(), joiner.publicKey())));
            Context atAdmit = add(membership, admit, atInvite, written, contexts, checkNanos);
            if (i % 10 == 0) {
                add(membership, write(author, group, admit, ++time, new Body.Role(joiner.publicKey(), Rank.ADMIN)),
                        atAdmit, written, contexts, checkNanos);
            }
            someone = joiner;
        }
        long started = System.nanoTime();
        int counted = membership.members().size();
        long membersNanos = System.nanoTime() - started;
        // A message at the newest context: what every message of a steady group costs.
        List<Context> heads = List.of(contexts.get(contexts.size() - 1));
        Context atHead = membership.contextAfter(heads);
        Block last = written.get(written.size() - 1);
        Block message = write(new BlockFactory(someone), group, last, ++time, new Body.Message("00".repeat(16), "hi"));
        int rounds = 20_000;
        started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            membership.check(message, atHead);
        }
        long messageCheck = (System.nanoTime() - started) / rounds;
        started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            membership.counts(message, atHead, (ancestor, descendant) -> false);
        }
        long messageCounts = (System.nanoTime() - started) / rounds;
        int blocks = written.size() - 1;
        System.out.printf(Locale.ROOT, "%-8d %-7s %10d %9.2f ms %9.2f ms %9.2f ms %11.1f us %11.1f us%n", counted,
                stale ? "stale" : "linear", blocks, checkNanos[0] / 1e6 / blocks, checkNanos[1] / 1e6, membersNanos / 1e6,
                messageCheck / 1e3, messageCounts / 1e3);
    }

    private static Block write(BlockFactory author, String group, Block parent, long millis,
                                     net.ledgerchat.ledger.Body body) {
        return author.write(group, List.of(new OrderKey(0, parent.height(), parent.hash())), T0.plusMillis(millis), body);
    }

    /** Checks a block at its parents' context as a node does on arrival, and records it. */
    private static Context add(Membership membership, Block block, Context atParents, List<Block> written,
                               List<Context> contexts, long[] checkNanos) {
        long started = System.nanoTime();
        Optional<Refusal> refusal = membership.check(block, atParents);
        long took = System.nanoTime() - started;
        checkNanos[0] += took;
        checkNanos[1] = Math.max(checkNanos[1], took);
        if (refusal.isPresent()) {
            throw new IllegalStateException("the bench wrote a block the rules refuse: " + refusal.get().description());
        }
        Context context = membership.record(block, atParents);
        written.add(block);
        contexts.add(context);
        return context;
    }
}
