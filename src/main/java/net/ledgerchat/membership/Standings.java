package net.ledgerchat.membership;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.Block;

/**
 * A key's standing (member or not, and its rank) in a past of membership blocks, decided by causality and rank
 * alone (DESIGN section 7). Blocks that raise a standing (an admit, a promotion) are taken from {@code grants},
 * blocks that lower it (a removal, a demotion, the founder's hand-over) from {@code takes}: the resolver passes
 * different sets for the two while it works out which blocks count, and the same set once it knows.
 */
final class Standings {
    private final MembershipGraph graph;

    Standings(MembershipGraph graph) {
        this.graph = graph;
    }

    /** The key's rank in {@code past}, or null when it is not a member there. */
    Rank rankOf(String key, BitSet past, BitSet grants, BitSet takes) {
        List<Integer> alive = aliveAdmissions(key, past, grants, takes);
        if (alive.isEmpty()) {
            return null;
        }
        boolean founder = false;
        BitSet events = new BitSet();
        for (int position : alive) {
            founder |= graph.node(position).block().kind() == Kind.GENESIS;
        }
        for (int position : graph.aboutKey(key)) {
            if (past.get(position) && rankSet(key, position, grants, takes) != null && after(position, alive)) {
                events.set(position);
            }
        }
        if (events.isEmpty()) {
            return founder ? Rank.FOUNDER : Rank.MEMBER;
        }
        // Of the latest changes, the lowest wins: concurrent demotion and promotion leave the lower rank.
        Rank rank = Rank.FOUNDER;
        for (int position : graph.latest(events).latest()) {
            Rank set = rankSet(key, position, grants, takes);
            rank = set.compareTo(rank) < 0 ? set : rank;
        }
        return rank;
    }

    /**
     * The admissions of the key in {@code past} (its genesis or a granted admit) that no taken removal in
     * {@code past} has ended: an admission is ended by a removal with the admission in its past.
     */
    List<Integer> aliveAdmissions(String key, BitSet past, BitSet grants, BitSet takes) {
        List<Integer> admissions = new ArrayList<>();
        List<Integer> removals = new ArrayList<>();
        for (int position : graph.aboutKey(key)) {
            if (!past.get(position)) {
                continue;
            }
            Block block = graph.node(position).block();
            if (block.kind() == Kind.GENESIS || (block.kind() == Kind.ADMIT && grants.get(position))) {
                admissions.add(position);
            } else if (block.kind() == Kind.REMOVE && takes.get(position)) {
                removals.add(position);
            }
        }
        admissions.removeIf(admission -> removals.stream().anyMatch(removal -> graph.precedes(admission, removal)));
        return admissions;
    }

    private boolean after(int position, List<Integer> admissions) {
        return admissions.stream().anyMatch(admission -> graph.precedes(admission, position));
    }

    /** The rank a role block gives {@code key}, when it applies (a raise in grants, a lowering in takes); else null. */
    private Rank rankSet(String key, int position, BitSet grants, BitSet takes) {
        Block block = graph.node(position).block();
        if (!(block.body() instanceof Body.Role role)) {
            return null;
        }
        if (role.member().equals(key)) {
            boolean raise = role.rank() != Rank.MEMBER;
            return (raise ? grants : takes).get(position) ? role.rank() : null;
        }
        // The founder's hand-over: its author steps down to admin.
        return takes.get(position) ? Rank.ADMIN : null;
    }
}
