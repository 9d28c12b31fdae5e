package net.ledgerchat.store;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
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
 * fields, the seal vouches for hash, signature and order timestamp (or, for an audit, the signature
 * itself verifies), the sort key matches; and adds the row to the block set, the parent-link sum
 * and the projection fingerprint its message row must have.
 */
final class LedgerPass implements Callable<PassTotals> {
    private static final String COLUMNS = "hash, parents, height, author, sender, ts, message, signature, order_ts,"
            + " sort_key, seal";
    private final Connection connection;
    private final TableRange range;
    private final String groupId;
    private final Seal seal;
    private final boolean verifySignatures;
    private final Problems problems;
    private final MessageDigest sha256 = BlockEncoding.sha256();
    private final Ed25519 ed25519 = new Ed25519();

    LedgerPass(Connection connection, TableRange range, String groupId, Seal seal, boolean verifySignatures,
               Problems problems) {
        this.connection = connection;
        this.range = range;
        this.groupId = groupId;
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
                String hash = row.getString(1);
                blocks.add(Hex.isHex(hash, Block.HASH_BYTES) ? Hex.decode(hash, Block.HASH_BYTES, "hash")
                        : new byte[Block.HASH_BYTES]);
                Block block = parse(row, hash);
                if (block == null) {
                    unreadable++;
                    continue;
                }
                for (String parent : block.parents()) {
                    links += LinkDigest.of(hash, parent);
                }
                long orderTs = row.getLong(9);
                check(block, orderTs, row.getString(10), row.getString(11));
                if (orderTs < 0) {
                    unreadable++;
                } else {
                    // What the message row must hold according to this ledger row, whether or not the row passed.
                    projection += seal.projection(new OrderKey(orderTs, block.height(), hash), block.author(),
                            block.sender(), block.timestamp().toEpochMilli(), block.message());
                }
            }
        }
        SetDigest set = blocks.digest();
        return new PassTotals(set.count(), set, projection, links, unreadable);
    }

    private Block parse(ResultSet row, String hash) throws SQLException {
        try {
            return new Block(Tables.splitParents(row.getString(2)), row.getLong(3), row.getString(4), row.getString(5),
                    Instant.ofEpochMilli(row.getLong(6)), row.getString(7), hash, row.getString(8));
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.report(Problem.Kind.MALFORMED, hash, "ledger row does not parse: " + e.getMessage());
            return null;
        }
    }

    private void check(Block block, long orderTs, String sortKey, String rowSeal) {
        String hash = block.hash();
        if (!BlockEncoding.hash(sha256, groupId, block).equals(hash)) {
            problems.report(Problem.Kind.EDITED, hash, "ledger row fields no longer match the block hash");
        } else if (verifySignatures
                && !ed25519.verify(block.author(), Hex.decode(hash, Block.HASH_BYTES, "hash"), block.signature())) {
            problems.report(Problem.Kind.FORGED, hash, "signature does not verify");
        } else if (!seal.matches(rowSeal, hash, block.signature(), orderTs)) {
            problems.report(Problem.Kind.FORGED, hash,
                    "ledger row was not stored by this node (signature, order or seal changed)");
        } else if (orderTs < 0 || !new OrderKey(orderTs, block.height(), hash).sortKey().equals(sortKey)) {
            problems.report(Problem.Kind.EDITED, hash, "ledger row sort key changed");
        }
    }

}
