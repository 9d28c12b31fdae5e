package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private final java.util.Map<String, String> names = new java.util.HashMap<>();

    MembershipGate(String groupId) {
        this.groupId = groupId;
        this.membership = new Membership(groupId);
    }

    /** Starts again from the stored membership blocks, parents first (at start, after a repair); answers the keys they are about. */
    Set<String> rebuild(List<LedgerRepository.MembershipRow> stored) {
        membership = new Membership(groupId);
        names.clear();
        Set<String> keys = new HashSet<>();
        for (LedgerRepository.MembershipRow row : stored) {
            membership.record(row.block(), membership.contextOf(row.context()));
            keys.addAll(Membership.keysAffected(row.block()));
        }
        return keys;
    }

    Membership membership() {
        return membership;
    }

    /**
     * Where a block stands in the membership once placed: its context at its parents, as stored with it, and the
     * context its children inherit from it (itself, for a membership block).
     */
    record Admitted(Context atParents, List<String> storedContext, List<String> ownContext, boolean filledHole) {
    }

    /** Checks {@code block}'s rule at its parents and records it; refused with the rule's reason. */
    Admitted admit(Block block, Collection<BlockPlace> parents) throws BlockRejectedException {
        return admit(block, parents, false);
    }

    /**
     * {@link #admit}; a block this node stored before and a repair wants back ({@code restoring}: its hash is in
     * the sealed digest) passed the rules then, and is only recorded: the membership blocks it needs may be among
     * those still missing.
     */
    Admitted admit(Block block, Collection<BlockPlace> parents, boolean restoring) throws BlockRejectedException {
        List<String> stored = storedContext(parents);
        Context atParents = membership.contextOf(stored);
        Refusal refusal = restoring ? null : membership.check(block, atParents).orElse(null);
        if (refusal != null) {
            throw new BlockRejectedException(RejectReason.NOT_ALLOWED, refusal.description(), block.kind().wireName()
                    + " block " + block.hash() + " by " + block.author());
        }
        // A membership block put back that this membership never recorded (it was rebuilt without it): those
        // recorded after it were recorded without it in their past.
        boolean filledHole = restoring && block.kind().isMembership() && !membership.recorded(block.hash());
        if (block.kind().isMembership()) {
            names.clear();
        }
        membership.record(block, atParents);
        return new Admitted(atParents, stored, block.kind().isMembership() ? List.of(block.hash()) : stored, filledHole);
    }

    /** The context stored with a block with these parents: the latest membership blocks among their pasts, by hash. */
    private List<String> storedContext(Collection<BlockPlace> parents) {
        List<String> named = new ArrayList<>();
        for (BlockPlace parent : parents) {
            named.addAll(parent.context());
        }
        return membership.latestOf(named);
    }

    /** How a placed message is shown, by everything recorded so far; null for any other kind. */
    Shown shownOf(Block block, Context atParents, Ancestry ancestry) {
        if (block.kind() != Kind.MESSAGE) {
            return null;
        }
        return new Shown(membership.counts(block, atParents, ancestry::isAncestor), nameOf(block.author()));
    }

    /** Whether a recorded membership block counts, by everything recorded so far. */
    boolean counts(String membershipBlock) {
        return membership.counts(membershipBlock);
    }

    /** The shown form of a stored message, its context given as the stored hashes. */
    Shown shownOf(Block message, List<String> context, Ancestry ancestry) {
        return shownOf(message, membership.contextOf(context), ancestry);
    }

    /** The name a key's messages show; kept until the membership changes (every message asks). */
    String nameOf(String key) {
        return names.computeIfAbsent(key, k -> membership.displayNameOf(k).orElse("member " + k.substring(0, 8)));
    }
}
