package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Copies one hex-layout table into its binary twin, in H2 row-id order, a batch per transaction: memory holds one
 * batch whatever the table's size, and the copy never holds a lock on the whole table for long. Rows are merged on
 * the new table's key rather than inserted: ledgers from before {@code messages} was keyed by sort key may hold two
 * message rows with one sort key (only by damage), and the start must not fail on them; the scan then reports the
 * message that lost, and the repair rebuilds it.
 */
final class HexTableCopy {
    private static final int BATCH = 1_000;

    /** How a column's value is carried over. */
    enum Kind { LONG, TEXT, HASH, SIGNATURE, SORT_KEY, PARENTS }

    record Column(String name, Kind kind) {
    }

    private final String from;
    private final String to;
    private final List<Column> columns;

    private final String key;

    /** {@code key}: the new table's primary key columns, comma separated. */
    HexTableCopy(String from, String to, String key, List<Column> columns) {
        this.from = from;
        this.to = to;
        this.key = key;
        this.columns = List.copyOf(columns);
    }

    String from() {
        return from;
    }

    /** Copies every row; returns how many. The caller's connection must not auto-commit. */
    long run(Connection c, HexValues values) throws SQLException {
        String names = String.join(", ", columns.stream().map(Column::name).toList());
        String select = "SELECT _ROWID_, " + names + " FROM " + from + " WHERE _ROWID_ > ? ORDER BY _ROWID_ LIMIT " + BATCH;
        String insert = "MERGE INTO " + to + " (" + names + ") KEY (" + key + ") VALUES ("
                + String.join(", ", columns.stream().map(col -> "?").toList()) + ")";
        long copied = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement read = c.prepareStatement(select); PreparedStatement write = c.prepareStatement(insert)) {
            while (true) {
                read.setLong(1, after);
                int rows = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        for (int i = 0; i < columns.size(); i++) {
                            bind(write, i + 1, columns.get(i).kind(), rs, i + 2, values);
                        }
                        write.addBatch();
                        rows++;
                    }
                }
                if (rows == 0) {
                    return copied;
                }
                write.executeBatch();
                c.commit();
                copied += rows;
            }
        }
    }

    private static void bind(PreparedStatement write, int at, Kind kind, ResultSet rs, int column, HexValues values)
            throws SQLException {
        switch (kind) {
            case LONG -> write.setLong(at, rs.getLong(column));
            case TEXT -> write.setString(at, rs.getString(column));
            case HASH -> write.setBytes(at, values.fixed(rs.getString(column), Tables.HASH_BYTES));
            case SIGNATURE -> write.setBytes(at, values.fixed(rs.getString(column), Tables.SIGNATURE_BYTES));
            case SORT_KEY -> write.setBytes(at, values.fixed(rs.getString(column), net.ledgerchat.ledger.OrderKey.SORT_KEY_BYTES));
            case PARENTS -> write.setBytes(at, values.parents(rs.getString(column)));
        }
    }
}
