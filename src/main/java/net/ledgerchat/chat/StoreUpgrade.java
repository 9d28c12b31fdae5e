package net.ledgerchat.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.ledgerchat.store.LayoutMigration;
import net.ledgerchat.store.SortKeyIndexes;

/**
 * Brings a database written by an older version up to what this one reads, before the writer opens the ledger.
 * Schema generation skips tables that exist, so nothing else would: the hex layout is moved to the binary one,
 * and indexes declared since are added.
 */
final class StoreUpgrade {
    private static final Logger LOG = Logger.getLogger(StoreUpgrade.class.getName());

    private StoreUpgrade() {
    }

    static void apply(DataSource dataSource) {
        migrateLayout(dataSource);
        addMissingIndexes(dataSource);
    }

    /** Without the binary layout no query of this version can read the ledger: failing the start is the only honest outcome. */
    private static void migrateLayout(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            new LayoutMigration(connection, LOG::info).run();
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalStateException(message.startsWith("[DB]") ? message
                    : "[DB] Could not move the ledger to the binary layout: " + message, e);
        }
    }

    private static void addMissingIndexes(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            for (SortKeyIndexes.Index index : SortKeyIndexes.missing(connection)) {
                LOG.info(() -> "[DB] Adding index " + index.name() + " to the existing table " + index.table()
                        + " (once; it reads the whole table)");
                long start = System.nanoTime();
                index.create(connection);
                LOG.info(() -> "[DB] Index " + index.name() + " added in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        } catch (SQLException e) {
            // The node works without them; only sync walks and chat pages read every row below their key again.
            LOG.log(Level.WARNING, "[DB] Could not add the descending sort-key indexes: " + e.getMessage(), e);
        }
    }
}
