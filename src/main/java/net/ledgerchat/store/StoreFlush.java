package net.ledgerchat.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import net.ledgerchat.config.Settings;

/**
 * Puts what is committed into the database file before anyone is told it is stored. H2 runs with a write
 * delay so that its background housekeeping runs (see {@code Database.H2#jdbcUrl}); its commits then stay in
 * memory until the next background write, so the writer flushes after every group it commits. A repair is not
 * flushed: it is idempotent, and one lost to a crash is found and run again by the next validation.
 */
@ApplicationScoped
public class StoreFlush {
    @Resource(lookup = "jdbc/chat")
    private DataSource dataSource;
    @Inject
    private Settings settings;

    /** Runs outside any transaction, after the commit whose work it makes durable. */
    public void flushCommitted() throws SQLException {
        Optional<String> statement = settings.database().flushStatement();
        if (statement.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement flush = connection.createStatement()) {
            flush.execute(statement.get());
        }
    }
}
