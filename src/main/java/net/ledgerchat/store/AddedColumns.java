package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Columns this version added to a table an older version created. Schema generation skips tables that exist, so
 * a database from before gets them here, empty, on H2 and on SQL Server alike; a database without the table yet
 * gets it whole from schema generation. Runs after {@link LayoutMigration}, whose binary tables already have them.
 */
public final class AddedColumns {
    private final Connection connection;
    private final Consumer<String> log;

    /** {@code log}: where the {@code [DB]} lines go. */
    public AddedColumns(Connection connection, Consumer<String> log) {
        this.connection = connection;
        this.log = log;
    }

    /** Adds what is missing; returns the columns it added, as {@code table.column}. */
    public List<String> run() throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // SqlServerStrings declares every String column NVARCHAR there; H2's schema has plain VARCHAR.
        String text = meta.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("microsoft") ? "NVARCHAR" : "VARCHAR";
        List<String> added = new ArrayList<>();
        if (hasTable(meta, Tables.MESSAGES) && !hasColumn(meta, Tables.MESSAGES, "send_key")) {
            try (Statement s = connection.createStatement()) {
                s.execute("ALTER TABLE " + Tables.MESSAGES + " ADD send_key " + text + "(" + Tables.SEND_KEY_LENGTH + ")");
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            added.add(Tables.MESSAGES + ".send_key");
            log.accept("[DB] Added " + Tables.MESSAGES + ".send_key: the idempotency keys of this node's sends now outlast"
                    + " a restart (sends stored before keep none)");
        }
        return added;
    }

    private boolean hasTable(DatabaseMetaData meta, String table) throws SQLException {
        try (ResultSet rs = meta.getTables(null, connection.getSchema(), Tables.namePattern(meta, table), null)) {
            return rs.next();
        }
    }

    private boolean hasColumn(DatabaseMetaData meta, String table, String column) throws SQLException {
        try (ResultSet rs = meta.getColumns(null, connection.getSchema(), Tables.namePattern(meta, table),
                Tables.namePattern(meta, column))) {
            return rs.next();
        }
    }
}
