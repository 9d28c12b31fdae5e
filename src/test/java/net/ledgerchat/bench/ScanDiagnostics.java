package net.ledgerchat.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerScanner;
import net.ledgerchat.store.ScanResult;

/**
 * Where the validation time goes: with the node stopped, the same H2 file is opened in this process
 * and each table is read the way the scanner's passes read it (storage order, same fetch size,
 * snapshot isolation, lazy results) but without any checks, one table at a time on one thread, then
 * all of them split as the scanner splits them, on all cores. Compared with the
 * node's validation time and the per-row CPU figures of section 1, this says how much is the
 * database and how much is the checks. With {@code full}, the real scanner also runs here.
 */
final class ScanDiagnostics {
    private static final String SECTION = "4. Where validation time goes";
    /** What the scanner's ledger and message passes read (LedgerPass, MessagesPass). */
    private static final String LEDGER_COLUMNS = "hash, parents, height, author, grp, ts, kind, body, signature, order_ts,"
            + " sort_key, seal";
    private static final int LEDGER_COLUMN_COUNT = 12;
    private static final String MESSAGE_COLUMNS = "hash, sort_key, author, ts, text";
    private static final int MESSAGE_COLUMN_COUNT = 5;

    private ScanDiagnostics() {
    }

    static void run(Path dataDir, NodeIdentity identity, String groupId, Report report, boolean full) throws SQLException {
        String url = LedgerLoader.jdbcUrl(dataDir);
        List<String> heads;
        long blocks;
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            heads = LedgerLoader.heads(c).stream().map(OrderKey::hash).toList();
            blocks = LedgerLoader.count(c);
        }
        report.add(SECTION, "ledger size for this breakdown", Report.num(blocks), "blocks");
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            // Table aliases keep these statements textually apart from the scanner's own, so H2 cannot reuse results.
            double ledger = read(c, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS storage_order", LEDGER_COLUMN_COUNT);
            report.add(SECTION, "JDBC read of all ledger rows, storage order, one thread", ms(ledger), "ms");
            double messages = read(c, "SELECT " + MESSAGE_COLUMNS + " FROM messages AS storage_order", MESSAGE_COLUMN_COUNT);
            report.add(SECTION, "JDBC read of all message rows, storage order, one thread", ms(messages), "ms");
            double links = read(c, "SELECT child_hash, parent_hash FROM ledger_parent AS storage_order", 2);
            report.add(SECTION, "JDBC read of all parent links, one thread", ms(links), "ms");
            report.add(SECTION, "  = reads alone, no checks, one thread (sum of the last three)",
                    ms(ledger + messages + links), "ms");
        }
        double parallel = readAllInParallel(url);
        report.add(SECTION, "reads alone, no checks, the scanner's passes on all " + CORES + " cores (ledger in "
                + CORES + " parts, messages, links): the floor for a scan on this storage", ms(parallel), "ms");
        if (full) {
            int parts = Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(parts + 1);
            try {
                ScanResult scan = new LedgerScanner(groupId, identity::seal, heads, false)
                        .scan(() -> DriverManager.getConnection(url, "chat", "chat"), pool, parts);
                report.add(SECTION, "LedgerScanner.scan in this JVM (" + parts + " ledger passes)",
                        Report.num(scan.took().toMillis()) + (scan.valid() ? " (valid)" : " (INVALID)"), "ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static double readAllInParallel(String url) throws SQLException {
        long max;
        try (Connection c = DriverManager.getConnection(url, "chat", "chat"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(_ROWID_) FROM ledger")) {
            rs.next();
            max = rs.getLong(1);
        }
        List<Callable<Double>> reads = new ArrayList<>();
        long step = max / CORES + 1;
        for (int i = 0; i < CORES; i++) {
            String where = " WHERE _ROWID_ >= " + (i * step) + " AND _ROWID_ < " + ((i + 1) * step);
            reads.add(() -> readOn(url, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS parallel_part" + where,
                    LEDGER_COLUMN_COUNT));
        }
        reads.add(() -> readOn(url, "SELECT " + MESSAGE_COLUMNS + " FROM messages AS parallel_all", MESSAGE_COLUMN_COUNT));
        reads.add(() -> readOn(url, "SELECT child_hash, parent_hash FROM ledger_parent AS parallel_all", 2));
        ExecutorService pool = Executors.newFixedThreadPool(CORES);
        long t0 = System.nanoTime();
        try {
            for (Future<Double> f : pool.invokeAll(reads)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (ExecutionException e) {
            throw new SQLException("parallel read failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double readOn(String url, String sql, int columns) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            return read(c, sql, columns);
        }
    }

    private static String ms(double seconds) {
        return Report.num(seconds * 1000, 0);
    }

    /** Seconds to stream every row of {@code sql}, fetching every column as the scanner does. */
    private static double read(Connection c, String sql, int columns) throws SQLException {
        long t0 = System.nanoTime();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement iso = c.createStatement()) {
            iso.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
            iso.execute("SET LAZY_QUERY_EXECUTION TRUE");
        }
        long sink = 0;
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(1_000);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object v = rs.getObject(i);
                        sink += v == null ? 0 : 1;
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
        if (sink < 0) {
            System.out.print("");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
