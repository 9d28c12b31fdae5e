package net.ledgerchat.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random histories written by honest and hostile authors: anyone may try anything (invites, admits, reused and
 * revoked invites, removals, rank changes, messages), on the current heads or on old parents (backdating, or a
 * partition's stale view). Only what the rules allow at its parents is stored. Then: every node that records
 * the same blocks, in any order parents allow, reaches the same verdicts, and what counts keeps the design's
 * promises. {@code -Dmembership.seeds=N} runs more seeds, {@code -Dmembership.seed=S} one.
 */
class MembershipConvergenceTest {
    private static final int ACTORS = 7;
    private static final int STEPS = 120;

    static Stream<Long> seeds() {
        String one = System.getProperty("membership.seed");
        if (one != null) {
            return Stream.of(Long.parseLong(one));
        }
        return LongStream.range(0, Long.getLong("membership.seeds", 200)).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyOrderReachesTheSameVerdictsAndKeepsTheRules(long seed) {
        Random random = new Random(seed);
        List<NodeIdentity> actors = new ArrayList<>();
        for (int i = 0; i < ACTORS; i++) {
            actors.add(SeededKeys.identity(random));
        }
        History history = new History(actors.get(0), "actor0");
        Map<String, InviteKey> invites = new HashMap<>();
        for (int step = 0; step < STEPS; step++) {
            Action action = action(history, random, actors, invites);
            History.Written written = history.write(action.author(), parents(history, random), action.body());
            if (written.refusal() == null && action.body() instanceof Body.Invite invite) {
                invites.put(written.block().hash(), pendingKeys.remove(invite.inviteKey()));
            }
        }
        String context = "seed " + seed;
        assertEquals(history.membership().countingFromScratch(), history.membership().counting(),
                context + ": the incremental resolution agrees with one from scratch");
        for (int replay = 0; replay < 3; replay++) {
            History.Replay other = history.replay(new Random(seed * 31 + replay));
            assertEquals(history.membership().members(), other.membership.members(), context + ": members");
            for (Block block : history.blocks()) {
                assertEquals(history.counts(block.hash()), other.counts(block.hash()), context + ": verdict on " + block.kind());
            }
        }
        assertPromisesKept(history, context);
        assertEquals(0, history.membership().unsettledResolutions(), context + ": every resolution stood still");
        if (System.getProperty("membership.stats") != null) {
            Map<String, int[]> stats = new java.util.TreeMap<>();
            for (Block block : history.blocks()) {
                int[] s = stats.computeIfAbsent(block.kind().wireName(), k -> new int[2]);
                s[0]++;
                s[1] += history.counts(block.hash()) ? 1 : 0;
            }
            StringBuilder line = new StringBuilder("STATS " + seed);
            stats.forEach((k, v) -> line.append(' ').append(k).append('=').append(v[1]).append('/').append(v[0]));
            System.out.println(line + " members=" + history.membership().members().size());
        }
    }

    private final Map<String, InviteKey> pendingKeys = new HashMap<>();

    private static List<String> parents(History history, Random random) {
        List<String> all = new ArrayList<>();
        for (Block block : history.blocks()) {
            all.add(block.hash());
        }
        if (random.nextInt(10) < 6) {
            return history.heads();
        }
        // A stale or backdated view: one or two blocks from anywhere in the past.
        Set<String> picked = new HashSet<>();
        int count = 1 + random.nextInt(2);
        while (picked.size() < Math.min(count, all.size())) {
            picked.add(all.get(random.nextInt(all.size())));
        }
        return new ArrayList<>(picked);
    }

    private record Action(NodeIdentity author, Body body) {
    }

    /**
     * Mostly what members would do (so that histories grow: admits, promotions, removals), often by someone who
     * may not (a stranger, a removed member, a member acting above its rank), and always on parents chosen apart.
     */
    private Action action(History history, Random random, List<NodeIdentity> actors, Map<String, InviteKey> invites) {
        Map<String, Rank> ranks = new HashMap<>();
        history.membership().members().forEach(m -> ranks.put(m.key(), m.rank()));
        List<NodeIdentity> members = actors.stream().filter(a -> ranks.containsKey(a.publicKey())).toList();
        List<NodeIdentity> admins = members.stream().filter(a -> ranks.get(a.publicKey()).atLeast(Rank.ADMIN)).toList();
        List<NodeIdentity> outsiders = actors.stream().filter(a -> !ranks.containsKey(a.publicKey())).toList();
        NodeIdentity anyone = actors.get(random.nextInt(actors.size()));
        boolean hostile = random.nextInt(5) == 0;
        int pick = random.nextInt(100);
        if (pick < 30) {
            return new Action(hostile ? anyone : pickFrom(members, anyone, random), new Body.Message("00".repeat(16), "m" + pick));
        } else if (pick < 45) {
            InviteKey key = SeededKeys.invite(random);
            pendingKeys.put(key.publicKey(), key);
            return new Action(hostile ? anyone : pickFrom(admins, anyone, random),
                    new Body.Invite(key.publicKey(), History.T0.plusSeconds(3600)));
        } else if (pick < 65 && !invites.isEmpty()) {
            List<String> known = new ArrayList<>(invites.keySet());
            String invite = known.get(random.nextInt(known.size()));
            String joiner = (hostile ? anyone : pickFrom(outsiders, anyone, random)).publicKey();
            InviteKey key = random.nextInt(20) == 0 ? SeededKeys.invite(random) : invites.get(invite);
            return new Action(hostile ? anyone : pickFrom(members, anyone, random), new Body.Admit(joiner,
                    "name" + joiner.substring(0, 4), invite, key.prove(history.groupId(), invite, joiner)));
        } else if (pick < 70 && !invites.isEmpty()) {
            List<String> known = new ArrayList<>(invites.keySet());
            return new Action(hostile ? anyone : pickFrom(admins, anyone, random),
                    new Body.Revoke(known.get(random.nextInt(known.size()))));
        } else if (pick < 85) {
            NodeIdentity author = hostile ? anyone : pickFrom(random.nextInt(4) == 0 ? members : admins, anyone, random);
            NodeIdentity target = random.nextInt(4) == 0 ? author : pickFrom(members, anyone, random);
            return new Action(author, new Body.Remove(target.publicKey()));
        }
        NodeIdentity founder = actors.stream().filter(a -> ranks.get(a.publicKey()) == Rank.FOUNDER).findFirst().orElse(anyone);
        Rank[] choices = {Rank.MEMBER, Rank.ADMIN, Rank.ADMIN, Rank.ADMIN, Rank.FOUNDER};
        return new Action(hostile ? anyone : founder,
                new Body.Role(pickFrom(members, anyone, random).publicKey(), choices[random.nextInt(choices.length)]));
    }

    private static NodeIdentity pickFrom(List<NodeIdentity> choices, NodeIdentity otherwise, Random random) {
        return choices.isEmpty() ? otherwise : choices.get(random.nextInt(choices.size()));
    }

    private static void assertPromisesKept(History history, String context) {
        Membership membership = history.membership();
        if (System.getProperty("membership.dump") != null) {
            Map<String, String> names = new HashMap<>();
            for (Block b : history.blocks()) {
                names.putIfAbsent(b.author(), "K" + names.size());
            }
            int i = 0;
            Map<String, Integer> index = new HashMap<>();
            for (Block b : history.blocks()) {
                index.put(b.hash(), i++);
                if (!b.kind().isMembership()) {
                    continue;
                }
                String body = b.body().toString().replaceAll("[0-9a-f]{64,128}", "#");
                if (b.body() instanceof Body.Remove r) body = "remove " + names.getOrDefault(r.member(), "?");
                if (b.body() instanceof Body.Role r) body = "role " + names.getOrDefault(r.member(), "?") + " " + r.rank();
                if (b.body() instanceof Body.Admit a) body = "admit " + names.computeIfAbsent(a.joiner(), k -> "K" + names.size()) + " via " + index.get(a.invite());
                if (b.body() instanceof Body.Revoke r) body = "revoke " + index.get(r.invite());
                List<Integer> ps = b.parents().stream().map(index::get).toList();
                System.out.println("DUMP " + index.get(b.hash()) + " by " + names.get(b.author()) + " " + body + " parents " + ps
                        + (history.counts(b.hash()) ? " COUNTS" : " void"));
            }
            for (Member m : membership.members()) {
                System.out.println("DUMP member " + names.get(m.key()) + " " + m.rank());
            }
        }
        List<Member> members = membership.members();
        assertEquals(1, members.stream().filter(m -> m.rank() == Rank.FOUNDER).count(), context + ": exactly one founder");
        Map<String, Integer> admitsPerInvite = new HashMap<>();
        for (Block block : history.blocks()) {
            if (block.isGenesis() || !history.counts(block.hash())) {
                continue;
            }
            String what = context + ": counting " + block.kind().wireName() + " " + block.hash();
            Context atParents = membership.contextAfter(block.parents().stream().map(history::context).toList());
            assertNotNull(membership.rankAt(block.author(), atParents), what + " by a non-member at its parents");
            for (Block other : history.blocks()) {
                if (other.body() instanceof Body.Remove remove && remove.member().equals(block.author())
                        && history.counts(other.hash()) && history.concurrent(block.hash(), other.hash())) {
                    throw new AssertionError(what + " is concurrent with the counting removal of its author " + other.hash());
                }
            }
            if (block.body() instanceof Body.Admit admit) {
                assertTrue(admitsPerInvite.merge(admit.invite(), 1, Integer::sum) == 1, what + ": an invite admitted twice");
            }
            if (block.body() instanceof Body.Remove remove && !remove.member().equals(block.author())) {
                Rank author = membership.rankAt(block.author(), atParents);
                Rank target = membership.rankAt(remove.member(), atParents);
                assertTrue(target == null || author.outranks(target), what + ": " + author + " removed " + target);
            }
            if (block.kind() == Kind.ROLE) {
                assertEquals(Rank.FOUNDER, membership.rankAt(block.author(), atParents), what + ": a role by a non-founder");
            }
        }
    }
}
