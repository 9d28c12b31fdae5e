package net.ledgerchat.membership;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.Block;

/**
 * The membership blocks of one ledger, kept in memory as a small DAG with full reachability: each block's
 * past is a bit set of positions. Blocks are added parents first, so position order is a topological order.
 * Membership blocks are few (a group's invites, admits, removals and role changes) next to its messages.
 */
final class MembershipGraph {
    /** One membership block and every membership block in its past (not itself). */
    record Node(int position, Block block, BitSet past) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    /** Per key: the blocks that may change whether it is a member or its rank. */
    private final Map<String, List<Integer>> aboutKey = new HashMap<>();
    /** Per invite hash: the admits and revokes that name it. */
    private final Map<String, List<Integer>> aboutInvite = new HashMap<>();

    int size() {
        return nodes.size();
    }

    Node node(int position) {
        return nodes.get(position);
    }

    Integer position(String hash) {
        return positions.get(hash);
    }

    /** Every membership block recorded. */
    BitSet all() {
        BitSet all = new BitSet();
        all.set(0, nodes.size());
        return all;
    }

    /** The membership blocks in a context's past, the context's own included. */
    BitSet closure(Context context) {
        BitSet closure = new BitSet();
        for (int position : context.latest()) {
            closure.or(nodes.get(position).past());
            closure.set(position);
        }
        return closure;
    }

    /** The latest of a set of positions: those in no other one's past. */
    Context latest(BitSet positions) {
        BitSet latest = (BitSet) positions.clone();
        for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
            latest.andNot(nodes.get(p).past());
        }
        return Context.of(latest);
    }

    boolean precedes(int earlier, int later) {
        return nodes.get(later).past().get(earlier);
    }

    boolean concurrent(int a, int b) {
        return a != b && !precedes(a, b) && !precedes(b, a);
    }

    /** Adds a membership block whose parents' context is {@code atParents}; answers its position (the same if known). */
    int add(Block block, Context atParents) {
        Integer known = positions.get(block.hash());
        if (known != null) {
            return known;
        }
        int position = nodes.size();
        nodes.add(new Node(position, block, closure(atParents)));
        positions.put(block.hash(), position);
        for (String key : keysAffected(block)) {
            aboutKey.computeIfAbsent(key, k -> new ArrayList<>()).add(position);
        }
        String invite = inviteNamed(block);
        if (invite != null) {
            aboutInvite.computeIfAbsent(invite, k -> new ArrayList<>()).add(position);
        }
        return position;
    }

    List<Integer> aboutKey(String key) {
        return aboutKey.getOrDefault(key, List.of());
    }

    List<Integer> aboutInvite(String inviteHash) {
        return aboutInvite.getOrDefault(inviteHash, List.of());
    }

    static List<String> keysAffected(Block block) {
        Body body = block.body();
        if (block.kind() == Kind.GENESIS) {
            return List.of(block.author());
        } else if (body instanceof Body.Admit admit) {
            return List.of(admit.joiner());
        } else if (body instanceof Body.Remove remove) {
            return List.of(remove.member());
        } else if (body instanceof Body.Role role) {
            // A hand-over also lowers its author from founder to admin.
            return role.rank() == Rank.FOUNDER ? List.of(role.member(), block.author()) : List.of(role.member());
        }
        return List.of();
    }

    static String inviteNamed(Block block) {
        if (block.body() instanceof Body.Admit admit) {
            return admit.invite();
        } else if (block.body() instanceof Body.Revoke revoke) {
            return revoke.invite();
        }
        return null;
    }
}
