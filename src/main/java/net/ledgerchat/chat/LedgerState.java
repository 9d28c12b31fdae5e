package net.ledgerchat.chat;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.store.LedgerRepository.SealedDigest;

/**
 * What the database holds as the writer last committed it: the heads, sorted, and the sealed digest
 * of the block set. Replaced after every commit, never changed, so readers need no lock.
 */
record LedgerState(List<OrderKey> heads, SealedDigest digest) {
    LedgerState {
        heads = List.copyOf(heads);
        Objects.requireNonNull(digest, "digest");
    }

    /** Heads and block-set digest once a group is stored, before sealing: the same for the database and the simulation. */
    record Advanced(List<OrderKey> heads, SetDigest digest) {
    }

    /** A restored block is already in the digest, and is a head only if nothing stored names it. */
    Advanced advancedBy(List<Slot> group) {
        TreeSet<OrderKey> after = new TreeSet<>(heads);
        SetDigest set = digest.digest();
        for (Slot slot : group) {
            if (slot.kind != Slot.Kind.RESTORED) {
                set = set.plus(slot.block().hash());
            }
            after.removeAll(slot.parentKeys);
            if (slot.tip) {
                after.add(slot.key);
            }
        }
        return new Advanced(List.copyOf(after), set);
    }
}
