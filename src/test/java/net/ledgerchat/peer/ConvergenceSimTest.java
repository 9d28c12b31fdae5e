package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Rank;
import org.junit.jupiter.api.Test;

/**
 * The randomized convergence suite: 3-7 nodes running the real protocol over a simulated network, with
 * concurrent sends, partitions and heals, delayed and duplicated frames, link resets, crashes and
 * restarts, and committed blocks deleted behind a node's back that its repair must fetch again. After the final heal every node must hold the same heads and the same ordered message list,
 * and every message whose send succeeded must be there exactly once. A failure names its seed.
 */
class ConvergenceSimTest {
    private static final int SEEDS = Integer.getInteger("sim.seeds", 200);
    private static final long CHAOS_MS = 20_000;
    private static final long SETTLE_MS = 30_000;

    @Test
    void everySeedConverges() {
        java.util.Map<SimMembership.Action, Integer> written = new java.util.EnumMap<>(SimMembership.Action.class);
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                run(seed).forEach((action, count) -> written.merge(action, count, Integer::sum));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " failed (rerun with -Dsim.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
        System.out.println("[ConvergenceSimTest] membership blocks written over " + SEEDS + " seeds: " + written);
        if (SEEDS >= 100) {
            // The seeds must reach every race they claim to: an action no node ever managed to write proves nothing.
            for (SimMembership.Action action : SimMembership.Action.values()) {
                assertTrue(written.getOrDefault(action, 0) > 0, "no seed wrote a " + action + ": " + written);
            }
        }
    }

    @Test
    void oneSeed() {
        Long seed = Long.getLong("sim.seed");
        if (seed != null) {
            System.out.println("[ConvergenceSimTest] seed " + seed + " wrote " + run(seed));
        }
    }

    @Test
    void gossipRelaysAlongALineWithoutAnySyncTimer() {
        SimNetwork net = new SimNetwork(7);
        net.faults = false;
        List<SimNetwork.Node> line = List.of(net.addNode(), net.addNode(), net.addNode(), net.addNode());
        for (int i = 0; i + 1 < line.size(); i++) {
            net.link(line.get(i), line.get(i + 1));
        }
        net.runUntil(1_000);
        for (int i = 0; i < 10; i++) {
            SimNetwork.Node from = line.get(i % 2 == 0 ? 0 : 3);
            String text = "relayed " + i;
            net.later(10 * i, () -> net.send(from, text));
        }
        net.runUntil(3_000);
        for (SimNetwork.Node node : line) {
            assertEquals(new HashSet<>(net.sent()), new HashSet<>(node.ledger.shown()), node.name + " missed a relayed block");
        }
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> rest = new java.util.ArrayList<>(a);
        rest.removeAll(b);
        return rest;
    }

    /** Runs one seed; answers how many membership blocks of each action its nodes managed to write. */
    private static java.util.Map<SimMembership.Action, Integer> run(long seed) {
        SimNetwork net = new SimNetwork(seed);
        SimMembership membership = new SimMembership(net);
        Random random = net.random();
        int size = 3 + random.nextInt(5);
        for (int i = 0; i < size; i++) {
            net.addNode();
        }
        List<SimNetwork.Node> nodes = net.nodes();
        boolean line = random.nextInt(3) == 0;
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                // A line (A-B-C..., gossip must relay) or a random connected mesh.
                if (line ? j == i + 1 : (j == i + 1 || random.nextInt(3) == 0)) {
                    net.link(nodes.get(i), nodes.get(j));
                }
            }
        }
        net.syncEvery(1_000);
        int sends = 20 + random.nextInt(60);
        for (int i = 0; i < sends; i++) {
            SimNetwork.Node node = nodes.get(random.nextInt(size));
            String text = "message " + i + " from " + node.name;
            // Bursts: several sends in the same millisecond on different nodes.
            net.later(random.nextInt((int) CHAOS_MS), () -> net.send(node, text));
        }
        for (int i = 0; i < 3; i++) {
            long at = random.nextInt((int) CHAOS_MS);
            long length = 500 + random.nextInt(5_000);
            int fault = random.nextInt(3);
            if (fault == 0) {
                SimNetwork.Node victim = nodes.get(random.nextInt(size));
                net.later(at, () -> net.crash(victim, length));
            } else if (fault == 1) {
                SimNetwork.Node victim = nodes.get(random.nextInt(size));
                int count = 1 + random.nextInt(8);
                net.later(at, () -> net.damage(victim, count));
            } else {
                Set<SimNetwork.Link> cut = new HashSet<>();
                for (SimNetwork.Link link : net.links()) {
                    if (random.nextInt(2) == 0) {
                        cut.add(link);
                    }
                }
                net.later(at, () -> cut.forEach(l -> {
                    l.cut = true;
                    l.disconnect();
                }));
                net.later(at + length, () -> cut.forEach(l -> {
                    l.cut = false;
                    l.connect();
                }));
            }
        }
        // The adversary, in half of the seeds: the acting founder removes a member mid-chaos, and that member goes on
        // writing, on the parents it has and on old parents with old timestamps.
        SimNetwork.Node victim = size >= 3 && random.nextInt(2) == 0 ? nodes.get(1 + random.nextInt(size - 1)) : null;
        String[] removal = new String[1];
        Set<String> backdated = new HashSet<>();
        if (victim != null) {
            long at = 2_000 + random.nextInt((int) CHAOS_MS - 4_000);
            // The others stay linked without the removed member, as they would find each other in a real group.
            net.later(at, () -> {
                removal[0] = membership.remove(victim);
                net.linkAround(victim);
            });
            for (int i = 0; i < 3; i++) {
                String text = "backdated " + i + " by " + victim.name;
                net.later(at + random.nextInt(3_000), () -> {
                    // Only a removed member has a reason to backdate (the founder may have been down at the time).
                    String hash = removal[0] == null ? null : membership.backdate(victim, text);
                    if (hash != null) {
                        backdated.add(hash);
                    }
                });
            }
        }
        // More membership traffic in half of the seeds, each action written by a node by what it holds, so that the
        // rules race the network: promotions and demotions (one may race the removal above), the founder handing its
        // rank to an admin, invites by any node (admins may; an admin demoted meanwhile voids its invite), invites
        // admitted by two members at once (both void when concurrent) or revoked while admitted, and removals of
        // invited keys by any node (refused unless it outranks the key).
        if (random.nextInt(2) == 0) {
            for (int i = 0; i < 8; i++) {
                long at = 1_000 + random.nextInt((int) CHAOS_MS - 2_000);
                SimNetwork.Node member = nodes.get(1 + random.nextInt(size - 1));
                SimNetwork.Node actor = nodes.get(random.nextInt(size));
                int op = random.nextInt(6);
                List<SimNetwork.Node> admitters = List.of(nodes.get(random.nextInt(size)), nodes.get(random.nextInt(size)));
                boolean revoke = random.nextBoolean();
                long later = random.nextInt(2_000);
                net.later(at, () -> {
                    switch (op) {
                        case 0 -> membership.setRank(member, Rank.ADMIN);
                        case 1 -> membership.setRank(member, Rank.MEMBER);
                        case 2 -> {
                            // The victim never becomes founder: its removal must stay possible.
                            if (membership.setRank(member, Rank.ADMIN) && member != victim) {
                                net.later(later, () -> membership.handOver(member));
                            }
                        }
                        case 3 -> membership.inviteAndAdmit(actor, admitters, revoke);
                        case 4 -> membership.removeKeyOnlyMember(actor);
                        default -> {
                            // An admin's removal racing its demotion: promoted, then it removes while the founder
                            // may be demoting it elsewhere.
                            if (membership.setRank(member, Rank.ADMIN)) {
                                net.later(later, () -> membership.removeKeyOnlyMember(member));
                            }
                        }
                    }
                });
            }
        }
        net.runUntil(CHAOS_MS + 6_000);
        // The final heal: no more faults; every node up, every link allowed.
        net.faults = false;
        net.links().forEach(l -> l.cut = false);
        net.runUntil(CHAOS_MS + 6_000 + SETTLE_MS);

        MemoryLedger founder = nodes.get(0).ledger;
        List<String> blocks = founder.ordered();
        List<String> reference = founder.shown();
        List<String> heads = founder.heads();
        // A removed member gets nothing new: only the members left must agree.
        List<SimNetwork.Node> members = removal[0] == null ? nodes : nodes.stream().filter(n -> n != victim).toList();
        for (SimNetwork.Node node : members) {
            assertTrue(node.up, node.name + " is still down");
            assertEquals(heads, node.ledger.heads(), node.name + " has other heads than node-0");
            assertEquals(blocks, node.ledger.ordered(), node.name + " holds other blocks, or in another order, than node-0");
            assertEquals(reference, node.ledger.shown(), node.name + " shows another message list than node-0: only node-0 "
                    + minus(reference, node.ledger.shown()) + ", only " + node.name + " " + minus(node.ledger.shown(), reference));
            assertEquals(founder.members(), node.ledger.members(), node.name + " has other members, or ranks");
            for (SimNetwork.Node running : members) {
                assertTrue(founder.members().stream().anyMatch(m -> m.key().equals(running.identity.publicKey())),
                        running.name + " is no longer a member");
            }
        }
        assertEquals(reference.size(), new HashSet<>(reference).size(), "a message is there twice");
        // Strong remove, checked by the parent links alone: the removed member's messages count where they precede
        // its removal, and nowhere else; everybody else's all count.
        Set<String> expected = new HashSet<>();
        for (String hash : net.sent()) {
            boolean byVictim = removal[0] != null && founder.holds(hash) && founder.authorOf(hash).equals(victim.identity.publicKey());
            if (!byVictim || founder.isAncestor(hash, removal[0])) {
                expected.add(hash);
            }
        }
        if (removal[0] != null) {
            expected.removeIf(h -> !founder.holds(h) && net.sentBy(h) == victim);
            assertTrue(java.util.Collections.disjoint(reference, backdated), "a backdated message counts");
        }
        assertEquals(expected, new HashSet<>(reference), "a sent message is missing, or one counts that must not");
        return membership.written();
    }
}
