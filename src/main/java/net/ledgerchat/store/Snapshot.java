package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A read-only transaction that sees one consistent state of the database while the writer goes
 * on appending, so a validation never mistakes a block committed mid-scan for damage. H2 gives a
 * true snapshot; elsewhere REPEATABLE READ is the closest portable level. The connection is
 * returned to its pool as it was found.
 */
final class Snapshot implements AutoCloseable {
    private static final int FETCH_SIZE = 1_000;
    private final Connection connection;
    private final boolean autoCommit;
    private final int isolation;
    private final boolean h2;

    private Snapshot(Connection connection) throws SQLException {
        this.connection = connection;
        this.autoCommit = connection.getAutoCommit();
        this.isolation = connection.getTransactionIsolation();
        this.h2 = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
    }

    static Snapshot begin(Connection connection) throws SQLException {
        Snapshot snapshot = new Snapshot(connection);
        connection.setAutoCommit(false);
        if (snapshot.h2) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
            }
        } else {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        return snapshot;
    }

    Statement streaming() throws SQLException {
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(FETCH_SIZE);
        return statement;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }
}
