package net.ledgerchat.membership;

import java.util.BitSet;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.Block;

/**
 * The table of DESIGN section 7: what each kind needs of its author and its subject at its parents, and which
 * concurrent blocks beat it (strong remove). Both are written once, for the two uses: checking a block before it
 * is stored (everything counting as resolved at its parents) and the {@link Resolver}'s passes, where the blocks
 * a rule needs to count ({@code granted}) and those it needs not to count ({@code assumed}) come from two sets.
 * A rank a rule requires (a member, an admin) is read raised by {@code granted} and lowered by {@code assumed};
 * a rank it forbids (a target at the author's rank, a founder leaving, a joiner already in) the other way round.
 * That keeps each pass antitone in {@code assumed}, which the well-founded semantics needs.
 */
final class Rules {
    static final int MAX_OPEN_INVITES = 100;

    private final MembershipGraph graph;
    private final Standings standings;
    private final String groupId;

    Rules(MembershipGraph graph, String groupId) {
        this.graph = graph;
        this.standings = new Standings(graph);
        this.groupId = groupId;
    }

    Standings standings() {
        return standings;
    }

    /** Null when {@code block}'s rule holds at {@code past}; else why not. */
    Refusal rule(Block block, BitSet past, BitSet granted, BitSet assumed) {
        if (block.kind() == Kind.GENESIS) {
            return past.isEmpty() ? null : Refusal.SECOND_GENESIS;
        }
        Rank author = standings.rankOf(block.author(), past, granted, assumed);
        if (author == null) {
            return Refusal.NOT_A_MEMBER;
        }
        Body body = block.body();
        if (body instanceof Body.Invite) {
            if (!author.atLeast(Rank.ADMIN)) {
                return Refusal.NOT_AN_ADMIN;
            }
            return openInvites(block.author(), past) >= MAX_OPEN_INVITES ? Refusal.TOO_MANY_OPEN_INVITES : null;
        } else if (body instanceof Body.Revoke revoke) {
            Block invite = invite(revoke.invite(), past);
            if (invite == null) {
                return Refusal.NOT_AN_INVITE;
            }
            return invite.author().equals(block.author()) || author.atLeast(Rank.ADMIN) ? null : Refusal.NOT_AN_ADMIN;
        } else if (body instanceof Body.Admit admit) {
            return admitRule(admit, past, granted, assumed);
        } else if (body instanceof Body.Remove remove) {
            if (remove.member().equals(block.author())) {
                // "Not the founder" is a rank the block needs its author not to have: read it as for the target of
                // a removal, so that the hand-over it relies on must itself count, not merely be assumed to.
                Rank leaving = standings.rankOf(block.author(), past, assumed, granted);
                return leaving == Rank.FOUNDER ? Refusal.FOUNDER_CANNOT_LEAVE : null;
            }
            if (standings.rankOf(remove.member(), past, granted, assumed) == null) {
                return Refusal.TARGET_NOT_A_MEMBER;
            }
            Rank target = standings.rankOf(remove.member(), past, assumed, granted);
            return target == null || author.outranks(target) ? null : Refusal.OUTRANKED;
        } else if (body instanceof Body.Role role) {
            if (author != Rank.FOUNDER) {
                return Refusal.NOT_THE_FOUNDER;
            }
            if (role.member().equals(block.author())) {
                return Refusal.OWN_RANK;
            }
            Rank target = standings.rankOf(role.member(), past, granted, assumed);
            if (target == null) {
                return Refusal.TARGET_NOT_A_MEMBER;
            }
            return role.rank() == Rank.FOUNDER && !target.atLeast(Rank.ADMIN) ? Refusal.HAND_OVER_TO_NON_ADMIN : null;
        }
        return null;
    }

    private Refusal admitRule(Body.Admit admit, BitSet past, BitSet granted, BitSet assumed) {
        Integer invitePosition = graph.position(admit.invite());
        Block invite = invite(admit.invite(), past);
        if (invite == null) {
            return Refusal.NOT_AN_INVITE;
        }
        if (!granted.get(invitePosition)) {
            return Refusal.INVITE_VOID;
        }
        Rank inviter = standings.rankOf(invite.author(), past, granted, assumed);
        if (inviter == null || !inviter.atLeast(Rank.ADMIN)) {
            return Refusal.INVITE_VOID;
        }
        for (int position : graph.aboutInvite(admit.invite())) {
            if (past.get(position) && assumed.get(position)) {
                return graph.node(position).block().kind() == Kind.REVOKE ? Refusal.INVITE_REVOKED : Refusal.INVITE_ALREADY_USED;
            }
        }
        return standings.rankOf(admit.joiner(), past, assumed, granted) != null ? Refusal.ALREADY_A_MEMBER : null;
    }

    /**
     * Whether an admit's proof is the invite key's signature over this group, the invite and the joiner: checked
     * once before the admit is stored (it depends on nothing that can change), not in every pass of the resolver.
     */
    Refusal proofRule(Body.Admit admit) {
        Integer position = graph.position(admit.invite());
        Body.Invite invite = graph.node(position).block().body(Body.Invite.class);
        return InviteKey.verifyProof(invite.inviteKey(), groupId, admit.invite(), admit.joiner(), admit.proof())
                ? null : Refusal.BAD_PROOF;
    }

    private Block invite(String hash, BitSet past) {
        Integer position = graph.position(hash);
        if (position == null || !past.get(position)) {
            return null;
        }
        Block block = graph.node(position).block();
        return block.kind() == Kind.INVITE ? block : null;
    }

    /** The author's invites in {@code past} that nothing in {@code past} has used or revoked: a bound against floods. */
    private int openInvites(String author, BitSet past) {
        int open = 0;
        for (int p = past.nextSetBit(0); p >= 0; p = past.nextSetBit(p + 1)) {
            Block block = graph.node(p).block();
            if (block.kind() == Kind.INVITE && block.author().equals(author)
                    && graph.aboutInvite(block.hash()).stream().noneMatch(past::get)) {
                open++;
            }
        }
        return open;
    }

    /**
     * Whether a block in {@code counting}, concurrent with the one at {@code position}, beats it: removes or
     * lowers a key it stands on below what it needs, or (for the same subject) is a removal against an admit or
     * a role, a lower role against a higher one, a revoke or another admit of the same invite.
     */
    boolean beaten(int position, BitSet domain, BitSet granted, BitSet counting) {
        Block block = graph.node(position).block();
        if (block.kind() == Kind.GENESIS) {
            return false;
        }
        BitSet past = graph.node(position).past();
        Body body = block.body();
        if (lowered(position, block.author(), required(block, past, granted, counting), domain, counting)) {
            return true;
        }
        if (body instanceof Body.Admit admit) {
            Block invite = graph.node(graph.position(admit.invite())).block();
            return lowered(position, invite.author(), Rank.ADMIN, domain, counting)
                    || lowered(position, admit.joiner(), null, domain, counting)
                    || graph.aboutInvite(admit.invite()).stream()
                            .anyMatch(other -> rival(position, other, domain, counting));
        } else if (body instanceof Body.Role role) {
            if (lowered(position, role.member(), null, domain, counting)) {
                return true;
            }
            for (int other : graph.aboutKey(role.member())) {
                if (rival(position, other, domain, counting) && graph.node(other).block().body() instanceof Body.Role rival
                        && rival.member().equals(role.member()) && rival.rank().compareTo(role.rank()) < 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean rival(int position, int other, BitSet domain, BitSet counting) {
        return domain.get(other) && counting.get(other) && graph.concurrent(position, other);
    }

    /**
     * The rank a block needs its author to keep; null when only a removal can undo it. Removing an admin needs the
     * founder: the target's rank is read as for a rule it must not break (raised by {@code counting}, lowered by
     * {@code granted}), so that assuming more blocks count can only make a block easier to beat.
     */
    private Rank required(Block block, BitSet past, BitSet granted, BitSet counting) {
        Body body = block.body();
        if (body instanceof Body.Invite) {
            return Rank.ADMIN;
        } else if (body instanceof Body.Revoke revoke) {
            Block invite = graph.node(graph.position(revoke.invite())).block();
            return invite.author().equals(block.author()) ? null : Rank.ADMIN;
        } else if (body instanceof Body.Remove remove) {
            if (remove.member().equals(block.author())) {
                return null;
            }
            Rank target = standings.rankOf(remove.member(), past, counting, granted);
            return target == Rank.ADMIN ? Rank.FOUNDER : Rank.ADMIN;
        } else if (body instanceof Body.Role) {
            return Rank.FOUNDER;
        }
        return null;
    }

    /**
     * Whether a counting block concurrent with the one at {@code position} removes {@code key}, or lowers it below
     * {@code needed} (null: only a removal matters).
     */
    private boolean lowered(int position, String key, Rank needed, BitSet domain, BitSet counting) {
        for (int other : graph.aboutKey(key)) {
            if (!rival(position, other, domain, counting)) {
                continue;
            }
            Body body = graph.node(other).block().body();
            if (body instanceof Body.Remove remove && remove.member().equals(key)) {
                return true;
            }
            if (needed != null && body instanceof Body.Role role) {
                Rank to = role.member().equals(key) ? role.rank() : Rank.ADMIN; // a hand-over lowers its author
                if (to.compareTo(needed) < 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
