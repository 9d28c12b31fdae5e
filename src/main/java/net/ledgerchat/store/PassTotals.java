package net.ledgerchat.store;

import net.ledgerchat.ledger.SetDigest;

/**
 * Order-independent sums one pass over part of a table adds up, so passes can run in parallel,
 * each in storage order, and still be compared: rows, the block set, the messages (message blocks, or
 * message rows) and the projection fingerprints
 * (what the ledger says the message rows must be, or what they are), the parent links, and rows
 * too damaged to fingerprint at all.
 */
record PassTotals(long rows, SetDigest blocks, long messages, long projection, long links, long unreadable) {
    static final PassTotals NONE = new PassTotals(0, SetDigest.EMPTY, 0, 0, 0, 0);

    PassTotals plus(PassTotals other) {
        return new PassTotals(rows + other.rows, blocks.merge(other.blocks), messages + other.messages,
                projection + other.projection, links + other.links, unreadable + other.unreadable);
    }
}
