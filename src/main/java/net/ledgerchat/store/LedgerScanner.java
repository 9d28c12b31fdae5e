package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * The periodic validation. Every table is read in storage order (sorting a million rows costs more
 * than checking them), split into passes that run in parallel, each on its own connection, all on
 * one consistent snapshot. Per ledger row the hash is recomputed and the seal checked (see
 * {@link Seal} for why not the signature). The passes add up order-independent totals; comparing
 * them finds deleted or inserted blocks (against the sealed digest), a message projection that
 * differs from the ledger, and a parent-link index that differs from the parents the blocks name.
 * Only when the projection differs does a slower merge of both tables in hash order name the rows.
 * Plain JDBC: reading a million rows through entities would cost more than everything else together.
 */
public final class LedgerScanner {
    public static final int MAX_LISTED = Problems.MAX_LISTED;
    private static final int SNAPSHOT_ATTEMPTS = 20;
    private final String groupId;
    private final Supplier<Seal> seals;
    private final Collection<String> knownHeads;
    private final boolean verifySignatures;
    private final Problems problems = new Problems();

    /** Opens a connection to the ledger's database. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /**
     * {@code seals}: one {@link Seal} per pass (a Mac is not thread-safe). {@code knownHeads}: the
     * writer's heads, so a deleted head block can be named. {@code verifySignatures}: also check every
     * Ed25519 signature (a full pass, for audits), not just the seals.
     */
    public LedgerScanner(String groupId, Supplier<Seal> seals, Collection<String> knownHeads, boolean verifySignatures) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.seals = Objects.requireNonNull(seals, "seals");
        this.knownHeads = List.copyOf(knownHeads);
        this.verifySignatures = verifySignatures;
    }

    /** Scans with {@code ledgerParts} parallel passes over the ledger table, plus one each over messages and links. */
    public ScanResult scan(Connections connections, ExecutorService executor, int ledgerParts) throws SQLException {
        if (ledgerParts < 1) {
            throw new IllegalArgumentException("at least one ledger pass");
        }
        long started = System.nanoTime();
        List<Connection> opened = new ArrayList<>();
        try {
            for (int i = 0; i < ledgerParts + 2; i++) {
                opened.add(connections.open());
            }
            Connection main = opened.get(0);
            // The split points need no snapshot: the first and last parts are open-ended, so a row committed before
            // the snapshot begins still falls in exactly one pass.
            List<TableRange> ranges = Snapshot.isH2(main) ? split(main, ledgerParts) : List.of(TableRange.ALL);
            try (Snapshot.Group snapshots = Snapshot.Group.begin(opened, SNAPSHOT_ATTEMPTS, LedgerScanner::readDigest)) {
                List<Callable<PassTotals>> ledgerPasses = new ArrayList<>();
                for (int i = 0; i < ranges.size(); i++) {
                    ledgerPasses.add(new LedgerPass(opened.get(i), ranges.get(i), groupId, seals.get(), verifySignatures,
                            problems));
                }
                Future<PassTotals> messages = executor.submit(new MessagesPass(opened.get(ledgerParts), seals.get()));
                Future<PassTotals> links = executor.submit(new LinksPass(opened.get(ledgerParts + 1)));
                PassTotals ledger = sum(executor, ledgerPasses);
                compare(main, opened.get(1), snapshots.digest(), ledger, await(messages), await(links));
                return new ScanResult(ledger.rows(), problems.listed(), problems.count(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        } finally {
            for (Connection c : opened) {
                c.close();
            }
        }
    }

    private void compare(Connection main, Connection second, LedgerRepository.SealedDigest sealed, PassTotals ledger, PassTotals messages,
                         PassTotals links) throws SQLException {
        if (ledger.links() != links.links()) {
            problems.report(Problem.Kind.LINKS, null, "parent-link index differs from the parents the blocks name");
        }
        if (ledger.messages() != messages.messages() || ledger.projection() != messages.projection()
                || ledger.unreadable() > 0 || messages.unreadable() > 0) {
            long before = problems.count();
            new ProjectionDiagnosis(problems, seals.get()).run(main, second);
            if (problems.count() == before) {
                problems.report(Problem.Kind.PROJECTION, null, "the message rows differ from the ledger");
            }
        }
        checkDigest(main, sealed, ledger.blocks());
    }

    private void checkDigest(Connection connection, LedgerRepository.SealedDigest sealed, SetDigest found)
            throws SQLException {
        Seal seal = seals.get();
        if (sealed == null) {
            if (found.count() > 0) {
                problems.report(Problem.Kind.DIGEST, null, "the sealed block count is missing");
            }
            return;
        }
        if (!seal.matches(sealed.seal(), sealed.digest())) {
            problems.report(Problem.Kind.DIGEST, null, "the sealed block count and digest were changed");
            return;
        }
        if (found.equals(sealed.digest())) {
            return;
        }
        long lost = sealed.digest().count() - found.count();
        problems.report(Problem.Kind.MISSING, null, lost > 0
                ? lost + " block(s) deleted: " + found.count() + " stored, " + sealed.digest().count() + " sealed"
                : "the block set differs from the sealed digest (" + found.count() + " stored, "
                        + sealed.digest().count() + " sealed)");
        for (String missing : MissingBlocks.find(connection, knownHeads)) {
            problems.report(Problem.Kind.MISSING, missing, "block deleted from the ledger");
        }
    }

    /**
     * Slices of the ledger's row ids, one per pass. H2 answers MIN or MAX of the row id by reading a whole index
     * (a tenth of a million-block validation, measured), but the first row id and the row count directly. Row ids
     * only grow, so the first and the count span them unless rows were deleted (a repair): then the slices are
     * uneven, never wrong, as the first and last are open-ended.
     */
    private static List<TableRange> split(Connection connection, int parts) throws SQLException {
        long first;
        long count;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT _ROWID_ FROM " + Tables.LEDGER
                    + " ORDER BY _ROWID_ FETCH FIRST ROW ONLY")) {
                if (!rs.next()) {
                    return List.of(TableRange.ALL);
                }
                first = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + Tables.LEDGER)) {
                rs.next();
                count = rs.getLong(1);
            }
        }
        long step = Math.max(1, (count + parts - 1) / parts);
        List<TableRange> ranges = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            ranges.add(new TableRange(i == 0 ? Long.MIN_VALUE : first + i * step,
                    i == parts - 1 ? Long.MAX_VALUE : first + (i + 1) * step));
        }
        return ranges;
    }

    private static PassTotals sum(ExecutorService executor, List<Callable<PassTotals>> passes) throws SQLException {
        List<Future<PassTotals>> running = new ArrayList<>();
        // The last pass runs on the calling thread, which would otherwise only wait.
        for (int i = 0; i < passes.size() - 1; i++) {
            running.add(executor.submit(passes.get(i)));
        }
        PassTotals total;
        try {
            total = passes.get(passes.size() - 1).call();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("ledger pass failed: " + e, e);
        }
        for (Future<PassTotals> f : running) {
            total = total.plus(await(f));
        }
        return total;
    }

    private static PassTotals await(Future<PassTotals> pass) throws SQLException {
        try {
            return pass.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("validation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("validation pass failed: " + e.getCause(), e.getCause());
        }
    }

    static LedgerRepository.SealedDigest readDigest(Connection connection) throws SQLException {
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
}
