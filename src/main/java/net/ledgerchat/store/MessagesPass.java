package net.ledgerchat.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/** Fingerprints every message row, in storage order, for comparison with what the ledger rows say they must be. */
final class MessagesPass implements Callable<PassTotals> {
    private final Connection connection;
    private final Seal seal;
    private final byte[] key = new byte[16];
    private final byte[] hash = new byte[Block.HASH_BYTES];
    private final byte[] author = new byte[Block.KEY_BYTES];

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
                String hashText = row.getString(1);
                String sortKey = row.getString(2);
                String sender = row.getString(4);
                String text = row.getString(6);
                // The sort key carries order timestamp, height and hash; its hash part must be the row's own.
                if (hashText == null || hashText.length() != 64 || sortKey == null
                        || sortKey.length() != OrderKey.SORT_KEY_LENGTH || !sortKey.regionMatches(32, hashText, 0, 64)
                        || !Hex.decodeInto(sortKey, 0, 16, key, 0) || !Hex.decodeInto(hashText, 0, 32, hash, 0)
                        || !Hex.decodeInto(row.getString(3), author) || sender == null || text == null) {
                    // Named by the diagnosis that a mismatch starts; here it only has to make the totals differ.
                    unreadable++;
                    continue;
                }
                ByteBuffer k = ByteBuffer.wrap(key);
                projection += seal.projection(k.getLong(), k.getLong(), hash, author,
                        sender.getBytes(StandardCharsets.UTF_8), row.getLong(5), text.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new PassTotals(rows, SetDigest.EMPTY, projection, 0, unreadable);
    }

}
