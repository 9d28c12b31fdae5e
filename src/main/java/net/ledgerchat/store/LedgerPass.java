package net.ledgerchat.store;

import java.util.Arrays;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Checks every ledger row of one part of the table, in storage order: the hash recomputes from the
 * fields as stored, the seal vouches for hash, signature, order timestamp and membership context (or, for an audit, the
 * signature itself verifies), the sort key matches; and adds the row to the block set, the
 * parent-link sum and the projection fingerprint its message row must have. Hashes, keys, signature,
 * seal and sort key are read as the bytes they are stored as (a wrong length is a malformed row, never
 * an error): at a million rows per run, parsing into {@link Block} records, or decoding hex as the
 * layout before did, cost more than the hashing.
 */
final class LedgerPass implements Callable<PassTotals> {
    private static final String COLUMNS = "hash, parents, height, author, grp, ts, kind, body, signature, order_ts,"
            + " sort_key, seal, context";
    /** A message body: the salt, then the text's length and bytes (see {@code Body.Message}). */
    private static final int TEXT_AT = Body.SALT_BYTES + 4;
    private final Connection connection;
    private final TableRange range;
    private final byte[] group;
    private final Seal seal;
    private final boolean verifySignatures;
    private final Problems problems;
    private final MessageDigest sha256 = BlockEncoding.sha256();
    private final Ed25519 ed25519 = new Ed25519();
    private static final int SEAL_BYTES = Tables.SEAL_BYTES;

    LedgerPass(Connection connection, TableRange range, String groupId, Seal seal, boolean verifySignatures,
               Problems problems) {
        this.connection = connection;
        this.range = range;
        this.group = Hex.decode(groupId, Block.HASH_BYTES, "group id");
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
        long messages = 0;
        try (Statement statement = Snapshot.streaming(connection);
             ResultSet row = statement.executeQuery("SELECT " + COLUMNS + " FROM " + Tables.LEDGER + range.where())) {
            while (row.next()) {
                byte[] hash = row.getBytes(1);
                if (hash == null || hash.length != Block.HASH_BYTES) {
                    blocks.add(new byte[Block.HASH_BYTES]);
                    problems.report(Problem.Kind.MALFORMED, Tables.hex(hash), "ledger row hash is not 32 bytes");
                    unreadable++;
                    continue;
                }
                blocks.add(hash);
                byte[] parents = row.getBytes(2);
                long height = row.getLong(3);
                byte[] author = row.getBytes(4);
                byte[] rowGroup = row.getBytes(5);
                long timestamp = row.getLong(6);
                int kind = row.getInt(7);
                byte[] body = row.getBytes(8);
                byte[] signature = row.getBytes(9);
                long orderTs = row.getLong(10);
                if (!wellFormed(parents) || author == null || author.length != Block.KEY_BYTES || signature == null
                        || signature.length != Block.SIGNATURE_BYTES || rowGroup == null || body == null || height < 0
                        || orderTs < 0 || kind < 0 || kind > 255) {
                    problems.report(Problem.Kind.MALFORMED, Hex.encode(hash), "ledger row does not parse");
                    unreadable++;
                    continue;
                }
                int parentCount = parents.length / Block.HASH_BYTES;
                for (int i = 0; i < parentCount; i++) {
                    links += LinkDigest.of(hash, parents, i * Block.HASH_BYTES);
                }
                byte[] computed = BlockEncoding.headerHash(sha256, rowGroup, parents, parentCount, height, author,
                        timestamp, kind, BlockEncoding.bodyDigest(sha256, body));
                boolean genesis = kind == Kind.GENESIS.code();
                if (genesis ? !Arrays.equals(hash, group) : !Arrays.equals(rowGroup, group)) {
                    // The hash may still recompute (a block of another group, or a second genesis): named here.
                    problems.report(Problem.Kind.EDITED, Hex.encode(hash), genesis ? "a genesis that is not this group's"
                            : "ledger row belongs to another group");
                }
                check(new Stored(hash, author, signature, height, orderTs, row.getBytes(13)), computed, row.getBytes(11),
                        row.getBytes(12));
                if (kind == Kind.MESSAGE.code()) {
                    messages++;
                    // What the message row must hold according to this ledger row, whether or not the row passed.
                    projection += seal.projection(orderTs, height, hash, author, timestamp, messageText(body));
                }
            }
        }
        SetDigest set = blocks.digest();
        return new PassTotals(set.count(), set, messages, projection, links, unreadable);
    }

    /** The text bytes of a message body as stored; a body too short for one gives no text (and fails the hash). */
    private static byte[] messageText(byte[] body) {
        return body.length < TEXT_AT ? new byte[0] : Arrays.copyOfRange(body, TEXT_AT, body.length);
    }

    /** The fields of one row that the checks after the hash need. */
    private record Stored(byte[] hash, byte[] author, byte[] signature, long height, long orderTs, byte[] context) {
        /** Only for a report: as hex for every row, it was a twentieth of the scan's CPU. */
        String hashText() {
            return Hex.encode(hash);
        }
    }

    private void check(Stored row, byte[] computed, byte[] sortKey, byte[] rowSeal) {
        if (!MessageDigest.isEqual(computed, row.hash())) {
            problems.report(Problem.Kind.EDITED, row.hashText(), "ledger row fields no longer match the block hash");
        } else if (verifySignatures && !ed25519.verify(Hex.encode(row.author()), row.hash(), Hex.encode(row.signature()))) {
            problems.report(Problem.Kind.FORGED, row.hashText(), "signature does not verify");
        } else if (rowSeal == null || rowSeal.length != SEAL_BYTES || row.context() == null
                || !seal.matches(rowSeal, row.hash(), row.signature(), row.orderTs(), row.context())) {
            problems.report(Problem.Kind.FORGED, row.hashText(),
                    "ledger row was not stored by this node (signature, order, membership context or seal changed)");
        } else if (!OrderKey.isSortKeyOf(sortKey, row.orderTs(), row.height(), row.hash())) {
            problems.report(Problem.Kind.EDITED, row.hashText(), "ledger row sort key changed");
        }
    }

    /** Whole 32-byte parent hashes, at most {@link Tables#MAX_STORED_PARENTS} of them. */
    private static boolean wellFormed(byte[] parents) {
        return parents != null && parents.length % Block.HASH_BYTES == 0
                && parents.length <= Tables.MAX_STORED_PARENTS * Block.HASH_BYTES;
    }
}
