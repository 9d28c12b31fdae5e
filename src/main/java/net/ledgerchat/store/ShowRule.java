package net.ledgerchat.store;

import java.util.List;
import net.ledgerchat.ledger.Block;

/** How the membership shows a stored message, given its membership context (the hashes stored with it). */
@FunctionalInterface
public interface ShowRule {
    Shown shownOf(Block message, List<String> context);
}
