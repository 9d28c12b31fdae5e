package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.SetDigest;

/** Sums the parent-link index, in storage order, for comparison with the parents the ledger rows name. */
final class LinksPass implements Callable<PassTotals> {
    private final Connection connection;

    LinksPass(Connection connection) {
        this.connection = connection;
    }

    @Override
    public PassTotals call() throws SQLException {
        long rows = 0;
        long links = 0;
        try (Statement statement = Snapshot.streaming(connection); ResultSet row = statement.executeQuery(
                "SELECT child_hash, parent_hash FROM " + Tables.LINKS)) {
            while (row.next()) {
                rows++;
                links += LinkDigest.of(row.getBytes(1), row.getBytes(2));
            }
        }
        return new PassTotals(rows, SetDigest.EMPTY, 0, 0, links, 0);
    }
}
