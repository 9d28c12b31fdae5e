package net.ledgerchat.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerScanner;
import net.ledgerchat.store.ScanResult;

/**
 * Where the validation time goes: with the node stopped, the same H2 file is opened in this process
 * and each table is read the way the scanner's passes read it (storage order, same fetch size,
 * snapshot isolation) but without any checks, one table at a time on one thread. Compared with the
 * node's validation time and the per-row CPU figures of section 1, this says how much is the
 * database and how much is the checks. With {@code full}, the real scanner also runs here.
 */
final class ScanDiagnostics {
    private static final String SECTION = "4. Where validation time goes";
    private static final String LEDGER_COLUMNS = "hash, parents, height, author, sender, ts, message, signature, order_ts,"
            + " sort_key, seal";

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
            double ledger = read(c, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS storage_order", 11);
            report.add(SECTION, "JDBC read of all ledger rows, storage order, one thread", ms(ledger), "ms");
            double messages = read(c, "SELECT hash, sort_key, author, sender, ts, text FROM messages AS storage_order", 6);
            report.add(SECTION, "JDBC read of all message rows, storage order, one thread", ms(messages), "ms");
            double links = read(c, "SELECT child_hash, parent_hash FROM ledger_parent AS storage_order", 2);
            report.add(SECTION, "JDBC read of all parent links, one thread", ms(links), "ms");
            report.add(SECTION, "  = reads alone, no checks, one thread (sum of the last three)",
                    ms(ledger + messages + links), "ms");
        }
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
