package net.ledgerchat.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.Block;
import java.util.Arrays;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Fingerprints every message row, in storage order, for comparison with what the ledger rows say they must be, and
 * checks the seal over how it is shown (whether it counts, under which name), which no ledger row can vouch for.
 */
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
                "SELECT hash, sort_key, author, ts, text, shown, sender, seal FROM " + Tables.MESSAGES)) {
            while (row.next()) {
                rows++;
                byte[] hash = row.getBytes(1);
                byte[] sortKey = row.getBytes(2);
                byte[] author = row.getBytes(3);
                String text = row.getString(5);
                String sender = row.getString(7);
                // The sort key carries order timestamp, height and hash; its hash part must be the row's own.
                if (hash == null || hash.length != Block.HASH_BYTES || sortKey == null
                        || sortKey.length != OrderKey.SORT_KEY_BYTES
                        || !Arrays.equals(sortKey, 16, OrderKey.SORT_KEY_BYTES, hash, 0, Block.HASH_BYTES)
                        || author == null || author.length != Block.KEY_BYTES || text == null || sender == null
                        || !seal.shownMatches(row.getBytes(8), hash, row.getBoolean(6), sender.getBytes(StandardCharsets.UTF_8))) {
                    // Named by the diagnosis that a mismatch starts; here it only has to make the totals differ.
                    unreadable++;
                    continue;
                }
                ByteBuffer k = ByteBuffer.wrap(sortKey);
                projection += seal.projection(k.getLong(), k.getLong(), hash, author, row.getLong(4),
                        text.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new PassTotals(rows, SetDigest.EMPTY, rows, projection, 0, unreadable);
    }

}
