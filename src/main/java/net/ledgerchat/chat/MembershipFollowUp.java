package net.ledgerchat.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.membership.Membership;

/**
 * What a committed group means for messages already stored (DESIGN section 7): a membership block about a key may
 * change which of that key's messages count, and a block put back by a repair may have been judged while blocks it
 * needed were missing. Runs under the writer's commit lock, after the group is stored.
 */
final class MembershipFollowUp {
    private static final Logger LOG = Logger.getLogger(MembershipFollowUp.class.getName());
    private final Chain chain;
    private final ReentrantLock chainLock;
    private final Supplier<Set<String>> rebuild;
    private final Consumer<Set<String>> reshow;

    /**
     * @param rebuild rebuilds the membership from what is stored (called under the chain lock); answers the keys it is about
     * @param reshow judges again every stored message of the keys given
     */
    MembershipFollowUp(Chain chain, ReentrantLock chainLock, Supplier<Set<String>> rebuild, Consumer<Set<String>> reshow) {
        this.chain = chain;
        this.chainLock = chainLock;
        this.rebuild = rebuild;
        this.reshow = reshow;
    }

    /** Rebuilds the membership from what is stored; the caller holds the chain lock (at start, after a repair). */
    void rebuildLocked() {
        rebuild.get();
    }

    void after(List<Slot> group) {
        Set<String> affected = new HashSet<>();
        boolean holeFilled = false;
        boolean restored = false;
        boolean admits = false;
        for (Slot slot : group) {
            if (slot.block().kind().isMembership()) {
                affected.addAll(Membership.keysAffected(slot.block()));
                holeFilled |= slot.filledHole();
                admits |= slot.block().body() instanceof Body.Admit;
            }
            restored |= slot.kind == Slot.Kind.RESTORED;
        }
        if (admits || restored || holeFilled) {
            judgeAgain(group, restored, holeFilled, affected);
        }
        if (!affected.isEmpty()) {
            reshowLogged(affected);
        }
    }

    /**
     * Two members admitted one invite without knowing of each other's admit (one of them lagging behind, or a leaked
     * code replayed): neither admit counts anywhere, and the owner learns why the person invited is not in the group.
     */
    private static void tellOfConcurrentAdmits(String invite, List<String> keys) {
        if (keys.size() > 1) {
            LOG.warning(() -> "[Members] Invite " + invite + " was admitted " + keys.size() + " times, by members who had"
                    + " not seen each other's admit (keys " + String.join(", ", keys) + "): an invite admits one node,"
                    + " so none of them is a member; invite the person again with a new code");
        }
    }

    /** The keys whose messages a group with admits, restores or a filled hole makes judge again (the chain's lock taken). */
    private void judgeAgain(List<Slot> group, boolean restored, boolean holeFilled, Set<String> affected) {
        chainLock.lock();
        try {
            Membership membership = chain.gate().membership();
            for (Slot slot : group) {
                if (slot.block().body() instanceof Body.Admit admit) {
                    // Admitted under a name another member has: the messages of both now show a key fingerprint.
                    affected.addAll(membership.keysNamed(admit.name()));
                    tellOfConcurrentAdmits(admit.invite(), membership.keysAdmittedWith(admit.invite()));
                }
            }
            if (restored) {
                // A message put back was judged while blocks between it and a removal may still have been missing.
                affected.addAll(membership.removedKeys());
            }
            if (holeFilled) {
                // Membership blocks recorded while this one was missing were recorded without it in their past,
                // and messages shown meanwhile were judged by them: everything is judged again.
                affected.addAll(rebuild.get());
            }
        } finally {
            chainLock.unlock();
        }
    }

    /** A failure to show messages again is logged, not thrown: the blocks are stored, and the next change retries. */
    private void reshowLogged(Set<String> authors) {
        try {
            reshow.accept(authors);
        } catch (StorageException e) {
            LOG.log(Level.SEVERE, "[DB] Could not show the messages of " + authors.size()
                    + " member(s) again after a membership change: " + e.getMessage(), e);
        }
    }
}
