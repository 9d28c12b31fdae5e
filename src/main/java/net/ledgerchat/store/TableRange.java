package net.ledgerchat.store;

/**
 * A part of a table by H2's internal row id, so one table can be read by several passes at once,
 * each in storage order; {@link #ALL} where the database has no such id.
 */
record TableRange(long from, long to) {
    static final TableRange ALL = new TableRange(Long.MIN_VALUE, Long.MAX_VALUE);

    String where() {
        return this.equals(ALL) ? "" : " WHERE _ROWID_ >= " + from + " AND _ROWID_ < " + to;
    }
}
