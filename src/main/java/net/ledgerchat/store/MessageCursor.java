package net.ledgerchat.store;

import java.nio.charset.StandardCharsets;
import net.ledgerchat.ledger.Seal;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Walks the {@code messages} rows in hash order beside the ledger rows, for the scan's merge join. */
final class MessageCursor {
    private final ResultSet rows;
    private Row current;

    /** The fields a message row repeats from its block; who shows it and under what name follow the membership. */
    record Row(String hash, String sortKey, String author, long timestamp, String text, boolean showSealed) {
        boolean matches(String ledgerSortKey, String ledgerAuthor, long ledgerTimestamp, String ledgerText) {
            return sortKey.equals(ledgerSortKey) && author.equals(ledgerAuthor) && timestamp == ledgerTimestamp
                    && text.equals(ledgerText);
        }
    }

    private final Seal seal;

    /** {@code rows}: hash, sort key, author, timestamp, text, shown, sender and seal of each message row, by hash. */
    MessageCursor(ResultSet rows, Seal seal) throws SQLException {
        this.rows = rows;
        this.seal = seal;
        advance();
    }

    /** Reports every message row ordered before {@code hash} (all remaining ones for null): they have no block. */
    void skipBefore(String hash, Problems problems) throws SQLException {
        while (current != null && (hash == null || current.hash().compareTo(hash) < 0)) {
            problems.report(Problem.Kind.PROJECTION, current.hash(), "message row without a ledger block");
            advance();
        }
    }

    /** The message row for {@code hash} if it is the next one, else null. */
    Row takeIf(String hash) throws SQLException {
        if (current == null || !current.hash().equals(hash)) {
            return null;
        }
        Row taken = current;
        advance();
        return taken;
    }

    private void advance() throws SQLException {
        if (!rows.next()) {
            current = null;
            return;
        }
        // Hex of the stored bytes: ordered as the bytes are (the merge's order), a wrong length stays visible.
        byte[] hash = rows.getBytes(1);
        String sender = rows.getString(7);
        boolean sealed = hash != null && hash.length == Tables.HASH_BYTES && sender != null
                && seal.shownMatches(rows.getBytes(8), hash, rows.getBoolean(6), sender.getBytes(StandardCharsets.UTF_8));
        current = new Row(Tables.hex(hash), Tables.hex(rows.getBytes(2)), Tables.hex(rows.getBytes(3)),
                rows.getLong(4), String.valueOf(rows.getString(5)), sealed);
    }
}
