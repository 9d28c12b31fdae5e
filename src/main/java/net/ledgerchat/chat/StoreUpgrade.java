package net.ledgerchat.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.ledgerchat.store.AddedColumns;
import net.ledgerchat.store.LayoutMigration;

/**
 * Brings a database written by an older version up to what this one reads. Schema generation skips tables that
 * exist, so nothing else would: the hex layout is moved to the binary one, and any index of the unit that is
 * missing is added (on H2; a SQL Server database this version opens was created in the binary layout, indexes
 * and all, by schema generation); then columns added since are added, on either database ({@link AddedColumns}).
 *
 * <p>A startup singleton, so it runs while the application deploys, before any request, peer or timer can read
 * the ledger (chat pages and peer syncs read it without the writer), and the beans that do read it depend on it.
 * Bean-managed transactions: the migration commits batch by batch on its own connection, which a container
 * transaction would own.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class StoreUpgrade {
    private static final Logger LOG = Logger.getLogger(StoreUpgrade.class.getName());

    @Resource(lookup = "jdbc/chat")
    private DataSource dataSource;

    @PostConstruct
    void apply() {
        migrateLayout();
        addColumns();
    }

    /** Without the binary layout no query of this version can read the ledger: failing the start is the only honest outcome. */
    private void migrateLayout() {
        try (Connection connection = dataSource.getConnection()) {
            new LayoutMigration(connection, LOG::info).run();
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalStateException(message.startsWith("[DB]") ? message
                    : "[DB] Could not move the ledger to the binary layout: " + message, e);
        }
    }

    /** Every insert of a message names the added columns: without them no send could be stored. */
    private void addColumns() {
        try (Connection connection = dataSource.getConnection()) {
            new AddedColumns(connection, LOG::info).run();
        } catch (SQLException e) {
            throw new IllegalStateException("[DB] Could not add this version's columns to the ledger's tables: "
                    + e.getMessage(), e);
        }
    }
}
