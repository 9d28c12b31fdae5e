package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * The periodic validation: one pass over {@code ledger} and {@code messages} (merge-joined by
 * hash) and one over {@code ledger_parent}, in constant memory, inside one snapshot. Per row it
 * recomputes the hash and checks the seal (see {@link Seal} for why not the signature); for the
 * whole it compares the block set with the sealed digest (deleted or inserted rows) and the link
 * index with the parents the blocks name. Plain JDBC: reading a million rows through entities
 * would cost more than everything else together.
 */
public final class LedgerScanner {
    public static final int MAX_LISTED = 100;
    private static final String LEDGER_SQL = "SELECT hash, parents, height, author, sender, ts, message, signature,"
            + " order_ts, sort_key, seal FROM " + Tables.LEDGER + " ORDER BY hash";
    private static final String MESSAGES_SQL = "SELECT hash, sort_key, author, sender, ts, text FROM "
            + Tables.MESSAGES + " ORDER BY hash";
    private final String groupId;
    private final Seal seal;
    private final Collection<String> knownHeads;
    private final boolean verifySignatures;
    private final Ed25519 ed25519 = new Ed25519();
    private final List<Problem> problems = new ArrayList<>();
    private long problemCount;

    /**
     * {@code knownHeads}: the writer's heads, so a deleted head block can be named.
     * {@code verifySignatures}: also check every Ed25519 signature (a full pass, for audits), not just the seals.
     */
    public LedgerScanner(String groupId, Seal seal, Collection<String> knownHeads, boolean verifySignatures) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.knownHeads = List.copyOf(knownHeads);
        this.verifySignatures = verifySignatures;
    }

    public ScanResult scan(Connection connection) throws SQLException {
        long started = System.nanoTime();
        try (Snapshot snapshot = Snapshot.begin(connection)) {
            LedgerRepository.SealedDigest sealed = readDigest(connection);
            SetDigest.Accumulator blocks = new SetDigest.Accumulator();
            long[] expectedLinks = {0};
            try (Statement ls = snapshot.streaming(); Statement ms = snapshot.streaming();
                 ResultSet ledger = ls.executeQuery(LEDGER_SQL); ResultSet messages = ms.executeQuery(MESSAGES_SQL)) {
                MessageCursor projection = new MessageCursor(messages);
                while (ledger.next()) {
                    String hash = ledger.getString(1);
                    projection.skipBefore(hash, this);
                    checkRow(ledger, hash, blocks, expectedLinks, projection.takeIf(hash));
                }
                projection.skipBefore(null, this);
            }
            checkLinks(snapshot, expectedLinks[0]);
            checkDigest(connection, sealed, blocks.digest());
            return new ScanResult(blocks.digest().count(), problems, problemCount,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void checkRow(ResultSet row, String hash, SetDigest.Accumulator blocks, long[] links, MessageCursor.Row message)
            throws SQLException {
        blocks.add(Hex.isHex(hash, Block.HASH_BYTES) ? Hex.decode(hash, Block.HASH_BYTES, "hash") : new byte[Block.HASH_BYTES]);
        Block block;
        try {
            block = new Block(Tables.splitParents(row.getString(2)), row.getLong(3), row.getString(4), row.getString(5),
                    Instant.ofEpochMilli(row.getLong(6)), row.getString(7), hash, row.getString(8));
        } catch (IllegalArgumentException | NullPointerException e) {
            report(Problem.Kind.MALFORMED, hash, "ledger row does not parse: " + e.getMessage());
            return;
        }
        for (String parent : block.parents()) {
            links[0] += LinkDigest.of(hash, parent);
        }
        long orderTs = row.getLong(9);
        String sortKey = row.getString(10);
        if (!BlockEncoding.hash(groupId, block).equals(hash)) {
            report(Problem.Kind.EDITED, hash, "ledger row fields no longer match the block hash");
        } else if (verifySignatures
                && !ed25519.verify(block.author(), Hex.decode(hash, Block.HASH_BYTES, "hash"), block.signature())) {
            report(Problem.Kind.FORGED, hash, "signature does not verify");
        } else if (!seal.matches(row.getString(11), hash, block.signature(), orderTs)) {
            report(Problem.Kind.FORGED, hash, "ledger row was not stored by this node (signature, order or seal changed)");
        } else if (orderTs < 0 || !new OrderKey(orderTs, block.height(), hash).sortKey().equals(sortKey)) {
            report(Problem.Kind.EDITED, hash, "ledger row sort key changed");
        }
        if (message == null) {
            report(Problem.Kind.PROJECTION, hash, "message row missing");
        } else if (!message.matches(sortKey, block)) {
            report(Problem.Kind.PROJECTION, hash, "message row differs from the ledger");
        }
    }

    private void checkLinks(Snapshot snapshot, long expected) throws SQLException {
        long actual = 0;
        try (Statement s = snapshot.streaming();
             ResultSet rs = s.executeQuery("SELECT child_hash, parent_hash FROM " + Tables.LINKS)) {
            while (rs.next()) {
                actual += LinkDigest.of(rs.getString(1), rs.getString(2));
            }
        }
        if (actual != expected) {
            report(Problem.Kind.LINKS, null, "parent-link index differs from the parents the blocks name");
        }
    }

    private void checkDigest(Connection connection, LedgerRepository.SealedDigest sealed, SetDigest found) throws SQLException {
        if (sealed == null) {
            if (found.count() > 0) {
                report(Problem.Kind.DIGEST, null, "the sealed block count is missing");
            }
            return;
        }
        if (!seal.matches(sealed.seal(), sealed.digest())) {
            report(Problem.Kind.DIGEST, null, "the sealed block count and digest were changed");
            return;
        }
        if (found.equals(sealed.digest())) {
            return;
        }
        long lost = sealed.digest().count() - found.count();
        report(Problem.Kind.MISSING, null, lost > 0
                ? lost + " block(s) deleted: " + found.count() + " stored, " + sealed.digest().count() + " sealed"
                : "the block set differs from the sealed digest (" + found.count() + " stored, "
                        + sealed.digest().count() + " sealed)");
        for (String missing : MissingBlocks.find(connection, knownHeads)) {
            report(Problem.Kind.MISSING, missing, "block deleted from the ledger");
        }
    }

    private static LedgerRepository.SealedDigest readDigest(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT block_count, digest, seal FROM " + Tables.META + " WHERE id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            try {
                return new LedgerRepository.SealedDigest(new SetDigest(rs.getLong(1), rs.getString(2)), rs.getString(3));
            } catch (IllegalArgumentException | NullPointerException e) {
                return new LedgerRepository.SealedDigest(SetDigest.EMPTY, "");
            }
        }
    }

    void report(Problem.Kind kind, String block, String detail) {
        problemCount++;
        if (problems.size() < MAX_LISTED) {
            problems.add(new Problem(kind, block, detail));
        }
    }
}
