package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A read-only transaction that sees one consistent state of the database while the writer goes
 * on appending, so a validation never mistakes a block committed mid-scan for damage. H2 gives a
 * true snapshot, and so does SQL Server with snapshot isolation allowed; elsewhere REPEATABLE READ is the
 * closest portable level. The connection is
 * returned to its pool as it was found.
 */
final class Snapshot implements AutoCloseable {
    private static final int FETCH_SIZE = 1_000;
    private final Connection connection;
    private final boolean autoCommit;
    private final int isolation;
    private final boolean h2;
    private final boolean sqlServer;
    /** SQLServerConnection.TRANSACTION_SNAPSHOT, without compiling against the driver. */
    private static final int SQL_SERVER_SNAPSHOT = 0x1000;

    private Snapshot(Connection connection) throws SQLException {
        this.connection = connection;
        this.autoCommit = connection.getAutoCommit();
        this.isolation = connection.getTransactionIsolation();
        String product = product(connection);
        this.h2 = product.contains("h2");
        this.sqlServer = product.contains("microsoft sql server");
    }

    static boolean isH2(Connection connection) throws SQLException {
        return product(connection).contains("h2");
    }

    private static String product(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    }

    static Snapshot begin(Connection connection) throws SQLException {
        Snapshot snapshot = new Snapshot(connection);
        connection.setAutoCommit(false);
        if (snapshot.h2) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
                // Rows stream straight from the table; otherwise H2 copies every result past a few thousand rows
                // to a temporary file first (measured: 10.5 s against 4.0 s for a million ledger rows).
                s.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
        } else if (snapshot.sqlServer) {
            // SQL Server's row-versioned snapshot; REPEATABLE READ there would lock what it read and block the writer.
            // It needs ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON, else the first read fails (error 3952)
            // and the validation reports the ledger unreadable with SQL Server's own message.
            connection.setTransactionIsolation(SQL_SERVER_SNAPSHOT);
        } else {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        return snapshot;
    }

    Statement streaming() throws SQLException {
        return streaming(connection);
    }

    static Statement streaming(Connection connection) throws SQLException {
        Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(FETCH_SIZE);
        return statement;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
            if (h2) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        } finally {
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Reads something that changes with every commit; equal answers on every connection mean one shared snapshot. */
    @FunctionalInterface
    interface Witness<T> {
        T read(Connection connection) throws SQLException;
    }

    /**
     * Snapshots on several connections that all see the same committed state, so passes reading in
     * parallel can be compared. Each snapshot is fixed by its first read; the writer updates the sealed
     * digest in every commit, so when that read answers the same on all connections no commit fell
     * between them. Otherwise it tries again.
     */
    static final class Group implements AutoCloseable {
        private final List<Snapshot> snapshots = new ArrayList<>();
        private LedgerRepository.SealedDigest digest;

        static Group begin(List<Connection> connections, int attempts, Witness<LedgerRepository.SealedDigest> witness)
                throws SQLException {
            Group group = new Group();
            for (int attempt = 1; ; attempt++) {
                for (Connection c : connections) {
                    group.snapshots.add(Snapshot.begin(c));
                }
                List<LedgerRepository.SealedDigest> seen = new ArrayList<>();
                for (Connection c : connections) {
                    seen.add(witness.read(c));
                }
                if (seen.stream().allMatch(d -> Objects.equals(d, seen.get(0)))) {
                    group.digest = seen.get(0);
                    return group;
                }
                group.close();
                if (attempt == attempts) {
                    throw new SQLException("no consistent snapshot across " + connections.size()
                            + " connections after " + attempts + " attempts: the ledger is changing too fast");
                }
            }
        }

        /** The sealed digest as the shared snapshot sees it (null for a ledger never written). */
        LedgerRepository.SealedDigest digest() {
            return digest;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (Snapshot s : snapshots) {
                try {
                    s.close();
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            snapshots.clear();
            if (first != null) {
                throw first;
            }
        }
    }
}
