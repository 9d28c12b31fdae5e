package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.membership.Context;
import net.ledgerchat.membership.Membership;
import net.ledgerchat.membership.Refusal;
import net.ledgerchat.store.BlockPlace;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.Shown;

/**
 * The membership as the chain applies it (DESIGN section 7): a block is placed only if its kind's rule holds at its
 * parents, a placed membership block is recorded, and a message is shown only if it counts. Guarded by the
 * writer's chain lock, like the chain.
 */
final class MembershipGate {
    private final String groupId;
    private Membership membership;

    MembershipGate(String groupId) {
        this.groupId = groupId;
        this.membership = new Membership(groupId);
    }

    /** Starts again from the stored membership blocks, parents first (at start, after a repair). */
    void rebuild(List<LedgerRepository.MembershipRow> stored) {
        membership = new Membership(groupId);
        for (LedgerRepository.MembershipRow row : stored) {
            membership.record(row.block(), membership.contextOf(row.context()));
        }
    }

    Membership membership() {
        return membership;
    }

    /**
     * Where a block stands in the membership once placed: its context at its parents, as stored with it, and the
     * context its children inherit from it (itself, for a membership block).
     */
    record Admitted(Context atParents, List<String> storedContext, List<String> ownContext) {
    }

    /** Checks {@code block}'s rule at its parents and records it; refused with the rule's reason. */
    Admitted admit(Block block, Collection<BlockPlace> parents) throws BlockRejectedException {
        Context atParents = atParents(parents);
        Refusal refusal = membership.check(block, atParents).orElse(null);
        if (refusal != null) {
            throw new BlockRejectedException(RejectReason.NOT_ALLOWED, refusal.description() + ": " + block.kind().wireName()
                    + " block " + block.hash() + " by " + block.author());
        }
        return new Admitted(atParents, membership.hashesOf(atParents), membership.hashesOf(membership.record(block, atParents)));
    }

    /** The membership context of a block with these parents. */
    Context atParents(Collection<BlockPlace> parents) {
        List<Context> contexts = new ArrayList<>(parents.size());
        for (BlockPlace parent : parents) {
            contexts.add(membership.contextOf(parent.context()));
        }
        return membership.contextAfter(contexts);
    }

    /** How a placed message is shown, by everything recorded so far; null for any other kind. */
    Shown shownOf(Block block, Context atParents, Ancestry ancestry) {
        if (block.kind() != Kind.MESSAGE) {
            return null;
        }
        return new Shown(membership.counts(block, atParents, ancestry::isAncestor), nameOf(block.author()));
    }

    /** The shown form of a stored message, its context given as the stored hashes. */
    Shown shownOf(Block message, List<String> context, Ancestry ancestry) {
        return shownOf(message, membership.contextOf(context), ancestry);
    }

    String nameOf(String key) {
        return membership.nameOf(key).orElse("member " + key.substring(0, 8));
    }
}
