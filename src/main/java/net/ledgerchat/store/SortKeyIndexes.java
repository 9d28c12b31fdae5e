package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The descending sort-key indexes for databases created before they were declared. Schema generation
 * ({@code create}) leaves a table that exists as it is, indexes included, so without this an older ledger would
 * keep reading every row below the key on each step of a sync walk, and every message for each page of the chat.
 */
public final class SortKeyIndexes {
    /** Every descending index the unit declares. */
    private static final List<Index> DESCENDING = List.of(new Index(Tables.LEDGER, Tables.LEDGER_SORT_KEY_DESC),
            new Index(Tables.MESSAGES, Tables.MESSAGES_SORT_KEY_DESC));

    private SortKeyIndexes() {
    }

    /** The declared descending indexes this database lacks. */
    public static List<Index> missing(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<Index> missing = new ArrayList<>();
        for (Index index : DESCENDING) {
            if (!index.existsIn(meta, connection.getSchema())) {
                missing.add(index);
            }
        }
        return missing;
    }

    /** One index on {@code sort_key DESC}. */
    public record Index(String table, String name) {
        /** Builds it: reads the whole table, and holds off writes to it meanwhile. */
        public void create(Connection connection) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE INDEX " + name + " ON " + table + " (" + Tables.SORT_KEY_DESC + ")");
            }
            // A pooled connection may come with auto-commit off, and SQL Server's DDL is rolled back with the rest.
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }

        private boolean existsIn(DatabaseMetaData meta, String schema) throws SQLException {
            boolean tableSeen = false;
            try (ResultSet rows = meta.getIndexInfo(null, schema, stored(meta, table), false, true)) {
                while (rows.next()) {
                    tableSeen = true;
                    if (name.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                        return true;
                    }
                }
            }
            if (!tableSeen) {
                // Every table here has a primary key: no index at all means the metadata did not find the table.
                throw new SQLException("the database lists no index of table " + table + " in schema " + schema
                        + ", not even its primary key");
            }
            return false;
        }

    }

    /** The name as the database keeps an unquoted identifier: H2 upper-cases it, SQL Server keeps it. */
    static String stored(DatabaseMetaData meta, String identifier) throws SQLException {
        if (meta.storesUpperCaseIdentifiers()) {
            return identifier.toUpperCase(Locale.ROOT);
        }
        return meta.storesLowerCaseIdentifiers() ? identifier.toLowerCase(Locale.ROOT) : identifier;
    }
}
