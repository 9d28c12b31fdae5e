package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import net.ledgerchat.store.HexTableCopy.Column;
import net.ledgerchat.store.HexTableCopy.Kind;

/**
 * Moves a ledger written by a version that stored hashes, keys, signatures, seals and sort keys as hex text to
 * the binary layout, in place, at start-up. Schema generation leaves existing tables as they are, so without
 * this an upgraded node would find hex columns where its queries bind bytes.
 *
 * <p>Crash-safe by construction: the binary tables are built and filled under temporary names ({@code _bin})
 * beside the untouched hex ones; only once every copy is complete are the hex tables renamed aside
 * ({@code _hex}), the new ones renamed into place, and the old ones dropped. Each DDL statement commits on its
 * own, so a kill at any point leaves one of: hex tables intact with a partial copy (a later start drops the copy
 * and redoes it), or some {@code _hex} table present (the copy was complete: a later start finishes the swap).
 * H2 only: a SQL Server ledger in the hex layout is refused with what to do.
 */
public final class LayoutMigration {
    private static final String BIN = "_bin";
    private static final String HEX = "_hex";
    private static final List<String> TABLES = List.of(Tables.LEDGER, Tables.LINKS, Tables.MESSAGES);
    /** The binary tables exactly as the unit generates them on H2 (h2-schema.sql), created under a temporary name. */
    private static final List<String> CREATE = List.of(
            "CREATE TABLE " + Tables.LEDGER + BIN + " (hash VARBINARY(32) NOT NULL, author VARBINARY(32) NOT NULL,"
                    + " height BIGINT NOT NULL, message VARCHAR(262144) NOT NULL, order_ts BIGINT NOT NULL,"
                    + " parents VARBINARY(2048) NOT NULL, seal VARBINARY(32) NOT NULL, sender VARCHAR(256) NOT NULL,"
                    + " signature VARBINARY(64) NOT NULL, sort_key VARBINARY(48) NOT NULL, ts BIGINT NOT NULL,"
                    + " PRIMARY KEY (hash))",
            "CREATE TABLE " + Tables.LINKS + BIN + " (child_hash VARBINARY(32) NOT NULL, parent_hash VARBINARY(32) NOT NULL,"
                    + " PRIMARY KEY (child_hash, parent_hash))",
            "CREATE TABLE " + Tables.MESSAGES + BIN + " (sort_key VARBINARY(48) NOT NULL, author VARBINARY(32) NOT NULL,"
                    + " hash VARBINARY(32) NOT NULL, send_key VARCHAR(" + Tables.SEND_KEY_LENGTH + "),"
                    + " sender VARCHAR(256) NOT NULL, text VARCHAR(262144) NOT NULL, ts BIGINT NOT NULL, PRIMARY KEY (sort_key))");
    /** The unit's secondary indexes; made after the old tables (whose indexes hold these names) are dropped. */
    private static final List<String> INDEXES = List.of(
            "CREATE UNIQUE INDEX IF NOT EXISTS ledger_sort_key ON " + Tables.LEDGER + " (sort_key)",
            "CREATE INDEX IF NOT EXISTS " + Tables.LEDGER_SORT_KEY_DESC + " ON " + Tables.LEDGER + " (" + Tables.SORT_KEY_DESC + ")",
            "CREATE INDEX IF NOT EXISTS ledger_parent_by_parent ON " + Tables.LINKS + " (parent_hash)",
            "CREATE INDEX IF NOT EXISTS " + Tables.MESSAGES_SORT_KEY_DESC + " ON " + Tables.MESSAGES + " (" + Tables.SORT_KEY_DESC + ")");
    private static final List<HexTableCopy> COPIES = List.of(
            new HexTableCopy(Tables.LEDGER, Tables.LEDGER + BIN, "hash", List.of(new Column("hash", Kind.HASH),
                    new Column("parents", Kind.PARENTS), new Column("height", Kind.LONG), new Column("author", Kind.HASH),
                    new Column("sender", Kind.TEXT), new Column("ts", Kind.LONG), new Column("message", Kind.TEXT),
                    new Column("signature", Kind.SIGNATURE), new Column("order_ts", Kind.LONG),
                    new Column("sort_key", Kind.SORT_KEY), new Column("seal", Kind.HASH))),
            new HexTableCopy(Tables.LINKS, Tables.LINKS + BIN, "child_hash, parent_hash", List.of(new Column("child_hash", Kind.HASH),
                    new Column("parent_hash", Kind.HASH))),
            new HexTableCopy(Tables.MESSAGES, Tables.MESSAGES + BIN, "sort_key", List.of(new Column("sort_key", Kind.SORT_KEY),
                    new Column("author", Kind.HASH), new Column("hash", Kind.HASH), new Column("sender", Kind.TEXT),
                    new Column("text", Kind.TEXT), new Column("ts", Kind.LONG))));

    /** Called after each step that commits; a test throws from it to stand for a kill at that point. */
    @FunctionalInterface
    interface Checkpoint {
        void reached(String step) throws SQLException;
    }

    private final Connection connection;
    private final Consumer<String> log;
    private final Checkpoint checkpoint;

    /** {@code log}: where the {@code [DB]} progress lines go. */
    public LayoutMigration(Connection connection, Consumer<String> log) {
        this(connection, log, step -> { });
    }

    LayoutMigration(Connection connection, Consumer<String> log, Checkpoint checkpoint) {
        this.connection = connection;
        this.log = log;
        this.checkpoint = checkpoint;
    }

    /**
     * Brings the ledger to the binary layout, finishing an interrupted migration; to a database already there
     * it only adds any of the unit's indexes that are missing. Returns whether it moved or swapped tables.
     */
    public boolean run() throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        boolean h2 = meta.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        boolean swapping = anyExists(HEX);
        boolean hex = !swapping && exists(Tables.LEDGER) && isText(Tables.LEDGER, "hash");
        if (!swapping && !hex) {
            if (h2 && exists(Tables.LEDGER)) {
                // Copies next to a binary ledger are not reachable by this class's own steps: dropped, not trusted.
                dropAll(BIN);
                // A kill after the old tables were dropped and before the indexes were made leaves no other trace.
                for (String index : INDEXES) {
                    execute(index);
                }
            }
            return false;
        }
        if (!h2) {
            throw new SQLException("[DB] This " + meta.getDatabaseProductName() + " database holds the ledger in the hex"
                    + " layout of an earlier version, which this version cannot read and migrates on H2 only: run the"
                    + " earlier version on it, or start this one on an empty database and let it sync the ledger from peers");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            if (hex) {
                copy();
            } else {
                log.accept("[DB] Finishing the interrupted move of the ledger to the binary layout");
            }
            swap();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return true;
    }

    private void copy() throws SQLException {
        long started = System.nanoTime();
        log.accept("[DB] The ledger is in the hex layout of an earlier version: moving it to the binary layout"
                + " (once; " + count(Tables.LEDGER) + " blocks, " + count(Tables.LINKS) + " parent links, "
                + count(Tables.MESSAGES) + " messages; the old tables stay until the copy is complete)");
        // A copy cut short by a kill: the hex tables are intact, so it starts again.
        dropAll(BIN);
        for (String create : CREATE) {
            execute(create);
        }
        HexValues values = new HexValues();
        for (HexTableCopy copy : COPIES) {
            long tableStart = System.nanoTime();
            long rows = copy.run(connection, values);
            log.accept("[DB] Copied " + rows + " rows of " + copy.from() + " in " + millis(tableStart) + " ms");
            checkpoint.reached("copied " + copy.from());
        }
        if (values.malformed() > 0) {
            log.accept("[DB] " + values.malformed() + " stored value(s) were not well-formed hex: kept, one byte short,"
                    + " so the next validation reports them and the repair fetches the blocks again");
        }
        log.accept("[DB] Copy complete in " + millis(started) + " ms");
    }

    /** From any point after a complete copy to the binary tables in place, indexed, with no leftovers. */
    private void swap() throws SQLException {
        long started = System.nanoTime();
        for (String table : TABLES) {
            if (!exists(table + BIN)) {
                continue;
            }
            if (exists(table) && exists(table + HEX)) {
                // Made by schema generation at a start after a kill between the two renames: empty, nothing to keep.
                if (count(table) > 0) {
                    throw new SQLException("[DB] Both " + table + " and " + table + HEX + " hold rows beside the copy "
                            + table + BIN + "; refusing to guess which is the ledger");
                }
                execute("DROP TABLE " + table);
            } else if (exists(table)) {
                execute("ALTER TABLE " + table + " RENAME TO " + table + HEX);
                checkpoint.reached("renamed " + table + " aside");
            }
            execute("ALTER TABLE " + table + BIN + " RENAME TO " + table);
            checkpoint.reached("renamed " + table + BIN + " into place");
        }
        for (String table : TABLES) {
            if (exists(table + HEX)) {
                execute("DROP TABLE " + table + HEX);
                checkpoint.reached("dropped " + table + HEX);
            }
        }
        for (String index : INDEXES) {
            execute(index);
        }
        log.accept("[DB] The ledger is in the binary layout (swap and indexes " + millis(started) + " ms)");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private long count(String table) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void dropAll(String suffix) throws SQLException {
        for (String table : TABLES) {
            execute("DROP TABLE IF EXISTS " + table + suffix);
        }
    }

    private boolean anyExists(String suffix) throws SQLException {
        for (String table : TABLES) {
            if (exists(table + suffix)) {
                return true;
            }
        }
        return false;
    }

    private boolean exists(String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getTables(null, connection.getSchema(), Tables.namePattern(meta, table), null)) {
            return rs.next();
        }
    }

    /** Whether the column holds characters (the hex layout) rather than bytes. */
    private boolean isText(String table, String column) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getColumns(null, connection.getSchema(),
                Tables.namePattern(meta, table),
                Tables.stored(meta, column))) {
            if (!rs.next()) {
                throw new SQLException("the database lists no column " + column + " in table " + table);
            }
            int type = rs.getInt("DATA_TYPE");
            return type == Types.CHAR || type == Types.VARCHAR || type == Types.LONGVARCHAR || type == Types.NCHAR
                    || type == Types.NVARCHAR || type == Types.LONGNVARCHAR || type == Types.CLOB || type == Types.NCLOB;
        }
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
