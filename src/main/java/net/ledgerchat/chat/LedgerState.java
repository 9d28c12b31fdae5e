package net.ledgerchat.chat;

import java.util.List;
import java.util.Objects;
import net.ledgerchat.ledger.OrderKey;
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
}
