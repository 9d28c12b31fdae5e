package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One change behind the node's back, with the rows it touched so it can be undone exactly. Every column the
 * validation vouches for: each field of the block a ledger row holds (the header's and the body), the row's
 * signature, order, membership context and seal, each column a message row repeats from its block, how it is shown
 * (whether it counts, under which name, and the seal over both), the parent links and the sealed digest. Not this
 * node's idempotency key (send_key).
 */
final class Tampering {
    private static final String[][] COLUMNS = {
        {"ledger", "parents"}, {"ledger", "height"}, {"ledger", "author"}, {"ledger", "grp"}, {"ledger", "ts"},
        {"ledger", "kind"}, {"ledger", "body"}, {"ledger", "signature"}, {"ledger", "order_ts"},
        {"ledger", "sort_key"}, {"ledger", "seal"}, {"ledger", "context"}, {"messages", "sort_key"}, {"messages", "hash"}, {"messages", "author"},
        {"messages", "ts"}, {"messages", "text"}, {"messages", "sender"}, {"messages", "shown"}, {"messages", "seal"},
        {"ledger_parent", "parent_hash"},
        {"ledger_meta", "block_count"}, {"ledger_meta", "digest"},
    };
    private static final String[] DELETABLE = {"ledger", "messages", "ledger_parent"};
    private final String table;
    private final String where;
    private final String column;
    private final String block;
    private List<Map<String, Object>> saved = List.of();

    private Tampering(String table, String where, String column, String block) {
        this.block = block;
        this.table = table;
        this.where = where;
        this.column = column;
    }

    /**
     * A change to one of {@code hashes} (of {@code messages} for the message table), any kind of block but the
     * genesis, which has no parent links to edit or delete.
     */
    static Tampering pick(Random random, List<String> hashes, List<String> messages) {
        int choice = random.nextInt(COLUMNS.length + DELETABLE.length);
        String table = choice < COLUMNS.length ? COLUMNS[choice][0] : DELETABLE[choice - COLUMNS.length];
        String hash = table.equals("messages") ? messages.get(random.nextInt(messages.size()))
                : hashes.get(1 + random.nextInt(hashes.size() - 1));
        String where = switch (table) {
            case "ledger_meta" -> "id = 1";
            case "ledger_parent" -> "child_hash = " + Rows.bin(hash);
            default -> "hash = " + Rows.bin(hash);
        };
        return new Tampering(table, where, choice < COLUMNS.length ? COLUMNS[choice][1] : null,
                table.equals("ledger_meta") ? null : hash);
    }

    void apply(Connection c, Random random) throws SQLException {
        saved = Rows.read(c, table, where);
        if (saved.isEmpty()) {
            throw new IllegalStateException("no row to tamper with: " + this);
        }
        if (column == null) {
            Rows.exec(c, "DELETE FROM " + table + " WHERE " + where);
            return;
        }
        // One row only (a block may have several parent links).
        Map<String, Object> row = saved.get(0);
        Object value = row.get(column.toUpperCase(java.util.Locale.ROOT));
        Object edited = value instanceof String text ? Rows.changed(text, random)
                : value instanceof byte[] bytes ? Rows.changed(bytes, random)
                : value instanceof Boolean flag ? (Object) !flag : ((Number) value).longValue() + 1;
        Rows.update(c, table, row, column, edited);
    }

    void undo(Connection c) throws SQLException {
        Rows.exec(c, "DELETE FROM " + table + " WHERE " + where);
        if (table.equals("messages")) {
            // An edited hash no longer matches the where clause; the row is still there under its key.
            for (Map<String, Object> row : saved) {
                Rows.exec(c, "DELETE FROM messages WHERE sort_key = " + Rows.bin((byte[]) row.get("SORT_KEY")));
            }
        }
        for (Map<String, Object> row : saved) {
            Rows.insert(c, table, row);
        }
    }

    /** The block whose rows were changed; null for the ledger's sealed digest. */
    String block() {
        return block;
    }

    @Override
    public String toString() {
        return (column == null ? "delete " + table : "edit " + table + "." + column) + " where " + where;
    }
}
