package net.ledgerchat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Checks every ledger row of one part of the table, in storage order: the hash recomputes from the
 * fields as stored, the seal vouches for hash, signature and order timestamp (or, for an audit, the
 * signature itself verifies), the sort key matches; and adds the row to the block set, the
 * parent-link sum and the projection fingerprint its message row must have. Each hex field is
 * decoded once into reused buffers: at a million rows per run, parsing into {@link Block}
 * records and re-decoding per check cost more than the hashing.
 */
final class LedgerPass implements Callable<PassTotals> {
    private static final String COLUMNS = "hash, parents, height, author, sender, ts, message, signature, order_ts,"
            + " sort_key, seal";
    private final Connection connection;
    private final TableRange range;
    private final byte[] group;
    private final Seal seal;
    private final boolean verifySignatures;
    private final Problems problems;
    private final MessageDigest sha256 = BlockEncoding.sha256();
    private final Ed25519 ed25519 = new Ed25519();
    private final byte[] hash = new byte[Block.HASH_BYTES];
    private final byte[] author = new byte[Block.KEY_BYTES];
    private final byte[] signature = new byte[Block.SIGNATURE_BYTES];
    private final byte[] rowSeal = new byte[32];
    private final byte[] parents = new byte[Tables.MAX_STORED_PARENTS * Block.HASH_BYTES];

    LedgerPass(Connection connection, TableRange range, String groupId, Seal seal, boolean verifySignatures,
               Problems problems) {
        this.connection = connection;
        this.range = range;
        this.group = groupId.getBytes(StandardCharsets.UTF_8);
        this.seal = seal;
        this.verifySignatures = verifySignatures;
        this.problems = problems;
    }

    @Override
    public PassTotals call() throws SQLException {
        SetDigest.Accumulator blocks = new SetDigest.Accumulator();
        long projection = 0;
        long links = 0;
        long unreadable = 0;
        try (Statement statement = Snapshot.streaming(connection);
             ResultSet row = statement.executeQuery("SELECT " + COLUMNS + " FROM " + Tables.LEDGER + range.where())) {
            while (row.next()) {
                String hashText = row.getString(1);
                if (!Hex.decodeInto(hashText, 0, Block.HASH_BYTES, hash, 0) || hashText.length() != 64) {
                    blocks.add(new byte[Block.HASH_BYTES]);
                    problems.report(Problem.Kind.MALFORMED, hashText, "ledger row hash is not 64 hex digits");
                    unreadable++;
                    continue;
                }
                blocks.add(hash);
                String parentText = row.getString(2);
                int parentCount = decodeParents(parentText);
                long height = row.getLong(3);
                String sender = row.getString(5);
                long timestamp = row.getLong(6);
                String message = row.getString(7);
                long orderTs = row.getLong(9);
                String authorText = row.getString(4);
                String signatureText = row.getString(8);
                if (parentCount < 0 || !Hex.decodeInto(authorText, author) || !Hex.decodeInto(signatureText, signature)
                        || sender == null || message == null || height < 0 || orderTs < 0) {
                    problems.report(Problem.Kind.MALFORMED, hashText, "ledger row does not parse");
                    unreadable++;
                    continue;
                }
                for (int i = 0; i < parentCount; i++) {
                    links += LinkDigest.of(hashText, parentText.substring(i * 65, i * 65 + 64));
                }
                byte[] senderBytes = sender.getBytes(StandardCharsets.UTF_8);
                byte[] text = message.getBytes(StandardCharsets.UTF_8);
                byte[] computed = BlockEncoding.hash(sha256, group, parents, parentCount, height, author, senderBytes,
                        timestamp, text);
                check(hashText, computed, height, orderTs, row.getString(10), row.getString(11), authorText, signatureText);
                // What the message row must hold according to this ledger row, whether or not the row passed.
                projection += seal.projection(orderTs, height, hash, author, senderBytes, timestamp, text);
            }
        }
        SetDigest set = blocks.digest();
        return new PassTotals(set.count(), set, projection, links, unreadable);
    }

    private void check(String hashText, byte[] computed, long height, long orderTs, String sortKey, String sealText,
                       String authorText, String signatureText) {
        if (!MessageDigest.isEqual(computed, hash)) {
            problems.report(Problem.Kind.EDITED, hashText, "ledger row fields no longer match the block hash");
        } else if (verifySignatures && !ed25519.verify(authorText, hash, signatureText)) {
            problems.report(Problem.Kind.FORGED, hashText, "signature does not verify");
        } else if (!Hex.decodeInto(sealText, rowSeal) || !seal.matches(rowSeal, hash, signature, orderTs)) {
            problems.report(Problem.Kind.FORGED, hashText,
                    "ledger row was not stored by this node (signature, order or seal changed)");
        } else if (!OrderKey.isSortKeyOf(sortKey, orderTs, height, hashText)) {
            problems.report(Problem.Kind.EDITED, hashText, "ledger row sort key changed");
        }
    }

    /** Decodes the comma-joined parents into {@link #parents}; their count, or -1 if malformed. */
    private int decodeParents(String text) {
        if (text == null) {
            return -1;
        }
        if (text.isEmpty()) {
            return 0;
        }
        if ((text.length() + 1) % 65 != 0) {
            return -1;
        }
        int count = (text.length() + 1) / 65;
        if (count > Tables.MAX_STORED_PARENTS) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if ((i > 0 && text.charAt(i * 65 - 1) != ',')
                    || !Hex.decodeInto(text, i * 65, Block.HASH_BYTES, parents, i * Block.HASH_BYTES)) {
                return -1;
            }
        }
        return count;
    }

}
