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
import net.ledgerchat.store.FormatOneLedger;

/**
 * Makes sure the database holds no ledger of an older format before anything reads or writes it (DESIGN section 7:
 * upgrading never loses history). A startup singleton, so it runs while the application deploys, before any
 * request, peer or timer can reach the ledger, and the beans that do depend on it.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class LedgerFormatCheck {
    private static final Logger LOG = Logger.getLogger(LedgerFormatCheck.class.getName());

    @Resource(lookup = "jdbc/chat")
    private DataSource dataSource;

    /**
     * A ledger database of format 1 (its ledger table has a {@code message} column) is never changed: the node stops
     * before anything writes to it. (The uber-jar refuses a format-1 H2 file before it boots; this covers a
     * database server, or a server-managed datasource.)
     */
    @PostConstruct
    void refuseFormatOne() {
        try (Connection connection = dataSource.getConnection()) {
            if (FormatOneLedger.isIn(connection)) {
                throw new IllegalStateException("[DB] The database behind jdbc/chat holds a ledger of format 1, from"
                        + " before groups had members; this version neither reads nor changes it. Point the node at a"
                        + " new database to found or join a group");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("[DB] Could not open the ledger's database: " + e.getMessage(), e);
        }
        LOG.fine("[DB] The ledger's database holds no format-1 ledger");
    }
}
