package net.ledgerchat.membership;

/**
 * Whether one block is in another's past, over the whole ledger (messages included). The membership rules keep
 * reachability among membership blocks themselves; whether a member's message precedes its removal needs the
 * ledger's, which the store answers.
 */
@FunctionalInterface
public interface Causality {
    boolean isAncestor(String ancestor, String descendant);
}
