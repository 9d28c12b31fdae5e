package net.ledgerchat.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.membership.Member;
import net.ledgerchat.membership.SeededKeys;

/**
 * The membership traffic of a simulated group, written as a member's node writes it: each action runs on one node's
 * ledger, by what that node holds at that moment, and an action its own rules refuse writes nothing (as the page and
 * the API refuse it). Who acts is the simulation's choice, not an oracle's: a founder that handed its rank over, or an
 * admin that was demoted, tries and is refused by its own node.
 */
final class SimMembership {
    /** What a node wrote, counted when its own rules let it (a refused action writes nothing and is not counted). */
    enum Action { PROMOTION, DEMOTION, HAND_OVER, INVITE_BY_FOUNDER, INVITE_BY_ADMIN, REVOKE, ADMIT, REMOVAL_BY_FOUNDER,
        REMOVAL_BY_ADMIN }

    private final SimNetwork net;
    private final java.util.Map<Action, Integer> written = new java.util.EnumMap<>(Action.class);
    /** Keys admitted by invite that run no node: targets admins may remove without cutting the network apart. */
    private final List<String> keyOnlyMembers = new ArrayList<>();

    SimMembership(SimNetwork net) {
        this.net = net;
    }

    /**
     * A node that is up and holds itself as the founder; during a hand-over the old founder already holds the new
     * one, so at most one node is it at a time, unless the new founder has not heard yet (then none).
     */
    Optional<SimNetwork.Node> actingFounder() {
        return net.nodes().stream().filter(n -> n.up && rankOf(n, n) == Rank.FOUNDER).findFirst();
    }

    /** The acting founder sets {@code member}'s rank (a promotion may race a removal); false when nothing was written. */
    boolean setRank(SimNetwork.Node member, Rank rank) {
        Action action = rank == Rank.FOUNDER ? Action.HAND_OVER : rank == Rank.ADMIN ? Action.PROMOTION : Action.DEMOTION;
        return actingFounder().map(f -> tryWrite(f, new Body.Role(member.identity.publicKey(), rank), action)).orElse(false);
    }

    /** The acting founder hands its rank to {@code heir}, which its rules allow only when the heir is an admin. */
    boolean handOver(SimNetwork.Node heir) {
        return setRank(heir, Rank.FOUNDER);
    }

    /**
     * {@code inviter} invites a key that runs no node (refused unless it is an admin by what it holds), and
     * {@code admitters} each admit that key as soon as they are asked, whether or not they know of each other's
     * admit: two of them concurrently void both. {@code revoke}: the inviter revokes it meanwhile. Answers whether
     * the invite was written.
     */
    boolean inviteAndAdmit(SimNetwork.Node inviter, List<SimNetwork.Node> admitters, boolean revoke) {
        if (!inviter.up) {
            return false;
        }
        var joiner = SeededKeys.identity(net.random());
        byte[] secret = new byte[InviteKey.SECRET_BYTES];
        net.random().nextBytes(secret);
        InviteCode code;
        Action action = rankOf(inviter, inviter) == Rank.FOUNDER ? Action.INVITE_BY_FOUNDER : Action.INVITE_BY_ADMIN;
        try {
            code = inviter.ledger.invite(net.at(), net.at().plusSeconds(3_600), secret);
            written.merge(action, 1, Integer::sum);
        } catch (BlockRejectedException e) {
            assertRefusedByItsOwnRules(inviter, e);
            return false;
        }
        if (revoke) {
            net.later(net.random().nextInt(1_500), () -> {
                if (inviter.up) {
                    tryWrite(inviter, new Body.Revoke(code.invite()), Action.REVOKE);
                }
            });
        }
        for (SimNetwork.Node admitter : admitters) {
            net.later(net.random().nextInt(1_500), () -> {
                if (admitter.up) {
                    try {
                        admitter.ledger.admit(joiner.publicKey(), "joiner", code.invite(), code.proofFor(joiner.publicKey()));
                        keyOnlyMembers.add(joiner.publicKey());
                        written.merge(Action.ADMIT, 1, Integer::sum);
                    } catch (BlockRejectedException e) {
                        // Refused by what this admitter holds (the invite not arrived, revoked, already used): as a
                        // member's node answers a joiner, nothing is written.
                        assertRefusedByItsOwnRules(admitter, e);
                    }
                }
            });
        }
        return true;
    }

    /**
     * {@code remover} removes one of the keys admitted by invite, if there is one: refused unless it outranks that
     * key by what it holds (an admin may not remove another admin, nor anyone the founder).
     */
    boolean removeKeyOnlyMember(SimNetwork.Node remover) {
        if (!remover.up || keyOnlyMembers.isEmpty()) {
            return false;
        }
        String target = keyOnlyMembers.get(net.random().nextInt(keyOnlyMembers.size()));
        Action action = rankOf(remover, remover) == Rank.FOUNDER ? Action.REMOVAL_BY_FOUNDER : Action.REMOVAL_BY_ADMIN;
        return tryWrite(remover, new Body.Remove(target), action);
    }

    /**
     * The acting founder removes {@code victim}; answers the removal's hash, or null when no node is acting founder
     * (down, or a hand-over not yet heard of by its heir).
     */
    String remove(SimNetwork.Node victim) {
        Optional<SimNetwork.Node> founder = actingFounder();
        if (founder.isEmpty()) {
            return null;
        }
        try {
            String hash = founder.get().ledger.write(new Body.Remove(victim.identity.publicKey()), net.at()).hash();
            written.merge(Action.REMOVAL_BY_FOUNDER, 1, Integer::sum);
            return hash;
        } catch (BlockRejectedException e) {
            throw new AssertionError("the founder " + founder.get().name + " could not remove " + victim.name + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@code node} writes a message on old parents (right after its own admit) with an old timestamp, as a removed
     * member that wants its words to count would; answers the block's hash, or null if the node does not hold its
     * admit (yet) or is down.
     */
    String backdate(SimNetwork.Node node, String text) {
        if (!node.up || node.admit == null || !node.ledger.holds(node.admit.hash())) {
            return null;
        }
        Block block = new BlockFactory(node.identity).write(net.groupId(), List.of(OrderKey.of(node.admit, 0)),
                node.admit.timestamp().plusMillis(1), new Body.Message("0f".repeat(Body.SALT_BYTES), text));
        try {
            node.ledger.accept(block);
        } catch (BlockRejectedException e) {
            throw new AssertionError("a block at parents where its author is a member was refused: " + e.getMessage(), e);
        }
        return block.hash();
    }

    /** How many blocks of each action the nodes wrote. */
    java.util.Map<Action, Integer> written() {
        return written;
    }

    private boolean tryWrite(SimNetwork.Node author, Body body, Action action) {
        try {
            author.ledger.write(body, net.at());
            written.merge(action, 1, Integer::sum);
            return true;
        } catch (BlockRejectedException e) {
            assertRefusedByItsOwnRules(author, e);
            return false;
        }
    }

    /** A local write may be refused by the membership rules, or while a repair waits for blocks; by nothing else. */
    private static void assertRefusedByItsOwnRules(SimNetwork.Node node, BlockRejectedException e) {
        if (e.reason() != RejectReason.NOT_ALLOWED) {
            throw new AssertionError(node.name + "'s own write was refused for " + e.reason() + ": " + e.getMessage(), e);
        }
    }

    private static Rank rankOf(SimNetwork.Node holder, SimNetwork.Node member) {
        MemoryLedger ledger = holder.ledger;
        return ledger.members().stream().filter(m -> m.key().equals(member.identity.publicKey()))
                .map(Member::rank).findFirst().orElse(null);
    }
}
