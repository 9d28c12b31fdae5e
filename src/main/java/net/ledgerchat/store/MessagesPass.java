package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/** Fingerprints every message row, in storage order, for comparison with what the ledger rows say they must be. */
final class MessagesPass implements Callable<PassTotals> {
    private final Connection connection;
    private final Seal seal;

    MessagesPass(Connection connection, Seal seal) {
        this.connection = connection;
        this.seal = seal;
    }

    @Override
    public PassTotals call() throws SQLException {
        long rows = 0;
        long projection = 0;
        long unreadable = 0;
        try (Statement statement = Snapshot.streaming(connection); ResultSet row = statement.executeQuery(
                "SELECT hash, sort_key, author, sender, ts, text FROM " + Tables.MESSAGES)) {
            while (row.next()) {
                rows++;
                try {
                    OrderKey key = OrderKey.parseSortKey(row.getString(2));
                    if (!key.hash().equals(row.getString(1))) {
                        unreadable++;
                        continue;
                    }
                    projection += seal.projection(key, row.getString(3), row.getString(4), row.getLong(5), row.getString(6));
                } catch (IllegalArgumentException | NullPointerException e) {
                    // Named by the diagnosis that a mismatch starts; here it only has to make the totals differ.
                    unreadable++;
                }
            }
        }
        return new PassTotals(rows, SetDigest.EMPTY, projection, 0, unreadable);
    }
}
