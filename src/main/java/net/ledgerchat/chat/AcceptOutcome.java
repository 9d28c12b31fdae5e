package net.ledgerchat.chat;

/** What happened to a block offered from elsewhere (refusals are a {@code BlockRejectedException}). */
public enum AcceptOutcome {
    /** Verified and stored now. */
    STORED,
    /** Verified and put back: a repair had removed it or found it deleted. */
    RESTORED,
    /** Already in the ledger: nothing changed. */
    DUPLICATE,
    /** Verified, but waits in the pending pool for parents this node lacks. */
    PENDING
}
