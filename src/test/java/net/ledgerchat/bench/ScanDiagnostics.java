package net.ledgerchat.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerScanner;
import net.ledgerchat.store.ScanResult;

/**
 * Where the validation time goes: with the node stopped, the same H2 file is opened in this process
 * and read the way {@link LedgerScanner} reads it (same statements, fetch size, snapshot isolation)
 * without any checks, once in hash order (what the scanner asks for, to merge-join ledger and
 * messages) and once in storage order. Compared with the node's validationMillis and the per-row
 * CPU figures of section 1, this says how much is the database and how much is the checks.
 *
 * <p>H2 keeps a non-lazy result of more than MAX_MEMORY_ROWS rows in a temporary file; the node at
 * -Xmx256m gets H2's default of 40,000 rows per GB of heap = 10,000 rows, which is set here too (H2 stores
 * that setting in the database; this runs last, on the benchmark's scratch copy). The page cache is H2's
 * default 16 MB, as in the node.
 * With {@code full}, the real scanner also runs here, plainly and with LAZY_QUERY_EXECUTION.
 */
final class ScanDiagnostics {
    private static final String SECTION = "4. Where validation time goes";
    private static final int NODE_MAX_MEMORY_ROWS = 10_000;
    private static final String LEDGER_COLUMNS = "hash, parents, height, author, sender, ts, message, signature, order_ts,"
            + " sort_key, seal";

    private ScanDiagnostics() {
    }

    static void run(Path dataDir, NodeIdentity identity, String groupId, Report report, boolean full) throws SQLException {
        String url = LedgerLoader.jdbcUrl(dataDir) + ";MAX_MEMORY_ROWS=" + NODE_MAX_MEMORY_ROWS;
        List<String> heads;
        long blocks;
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            heads = LedgerLoader.heads(c).stream().map(OrderKey::hash).toList();
            blocks = LedgerLoader.count(c);
        }
        report.add(SECTION, "ledger size for this breakdown", Report.num(blocks), "blocks");
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            // Table aliases keep these statements textually apart from the scanner's own, so H2 cannot reuse results.
            double storage = read(c, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS storage_order", 11);
            report.add(SECTION, "JDBC read of all ledger rows in storage order (no ORDER BY)", ms(storage), "ms");
            double ledger = read(c, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS by_hash ORDER BY hash", 11);
            report.add(SECTION, "JDBC read of all ledger rows ORDER BY hash (as the scanner)", ms(ledger), "ms");
            double messages = read(c, "SELECT hash, sort_key, author, sender, ts, text FROM messages AS by_hash ORDER BY hash", 6);
            report.add(SECTION, "JDBC read of all message rows ORDER BY hash (as the scanner)", ms(messages), "ms");
            double links = read(c, "SELECT child_hash, parent_hash FROM ledger_parent AS all_links", 2);
            report.add(SECTION, "JDBC read of all parent links", ms(links), "ms");
            report.add(SECTION, "  = the scanner's reads alone, no checks (sum of the last three)",
                    ms(ledger + messages + links), "ms");
            if (full) {
                ScanResult scan = scan(c, identity, groupId, heads);
                report.add(SECTION, "LedgerScanner.scan in this JVM (MAX_MEMORY_ROWS=" + NODE_MAX_MEMORY_ROWS + ")",
                        Report.num(scan.took().toMillis()) + (scan.valid() ? " (valid)" : " (INVALID)"), "ms");
            }
        }
        if (full) {
            try (Connection c = DriverManager.getConnection(url + ";LAZY_QUERY_EXECUTION=TRUE", "chat", "chat")) {
                double ledger = read(c, "SELECT " + LEDGER_COLUMNS + " FROM ledger AS lazy_by_hash ORDER BY hash", 11);
                report.add(SECTION, "JDBC read of all ledger rows ORDER BY hash, LAZY_QUERY_EXECUTION=TRUE", ms(ledger), "ms");
                ScanResult scan = scan(c, identity, groupId, heads);
                report.add(SECTION, "LedgerScanner.scan with LAZY_QUERY_EXECUTION=TRUE",
                        Report.num(scan.took().toMillis()) + (scan.valid() ? " (valid)" : " (INVALID)"), "ms");
            }
        }
    }

    private static String ms(double seconds) {
        return Report.num(seconds * 1000, 0);
    }

    private static ScanResult scan(Connection c, NodeIdentity identity, String groupId, List<String> heads)
            throws SQLException {
        return new LedgerScanner(groupId, identity.seal(), heads, false).scan(c);
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
