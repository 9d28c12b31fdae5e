package net.ledgerchat.store;

import java.util.List;

/** Table and column facts shared by the JPA mapping and the JDBC validation scan, so the two cannot drift. */
final class Tables {
    static final String LEDGER = "ledger";
    static final String MESSAGES = "messages";
    static final String LINKS = "ledger_parent";
    static final String META = "ledger_meta";
    static final String HEADS = "ledger_heads";
    /** Declared by {@link LedgerRow}; added to databases created before it by {@link SortKeyIndexes}. */
    static final String LEDGER_SORT_KEY_DESC = "ledger_sort_key_desc";
    /** Declared by {@link MessageRow}; added to databases created before it by {@link SortKeyIndexes}. */
    static final String MESSAGES_SORT_KEY_DESC = "messages_sort_key_desc";
    static final String SORT_KEY_DESC = "sort_key DESC";
    static final int MAX_STORED_PARENTS = 64;
    /** Up to 64 parents of 64 hex digits, comma separated. */
    static final int PARENTS_LENGTH = MAX_STORED_PARENTS * 65;
    static final int SENDER_LENGTH = 256;
    /** The column holds the largest MAX_MESSAGE_BYTES a node may be configured with. */
    static final int TEXT_LENGTH = 262_144;

    private Tables() {
    }

    static String joinParents(List<String> parents) {
        return String.join(",", parents);
    }

    static List<String> splitParents(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(",", -1));
    }
}
