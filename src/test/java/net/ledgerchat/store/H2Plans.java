package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What H2 does with the SQL EclipseLink sends: the statement a call sent, and its plan as H2 ran it. */
final class H2Plans {
    private static final Pattern SCAN_COUNT = Pattern.compile("/\\* scanCount: (\\d+) \\*/");

    private H2Plans() {
    }

    /** H2's driver answers {@code Connection.getCatalog()} with this, once per connection: not a query of ours. */
    static boolean isCatalogLookup(String sql) {
        return sql.equals("CALL DATABASE()");
    }

    /**
     * {@code EXPLAIN ANALYZE} of the one statement {@code call} sends, with {@code values} bound to its parameters in
     * order (EclipseLink binds a limit as two: the row count, then the offset 0).
     */
    static String analyze(Connection admin, Runnable call, Object... values) throws SQLException {
        try (Statement s = admin.createStatement()) {
            // Turning the statistics off and on empties them.
            s.execute("SET QUERY_STATISTICS FALSE");
            s.execute("SET QUERY_STATISTICS TRUE");
            call.run();
            List<String> sent = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rs.next()) {
                    if (!rs.getString(1).contains("QUERY_STATISTICS") && !H2Plans.isCatalogLookup(rs.getString(1))) {
                        sent.add(rs.getString(1));
                    }
                }
            }
            s.execute("SET QUERY_STATISTICS FALSE");
            assertEquals(1, sent.size(), "statements sent: " + sent);
            try (PreparedStatement explain = admin.prepareStatement("EXPLAIN ANALYZE " + sent.get(0))) {
                for (int i = 0; i < values.length; i++) {
                    explain.setObject(i + 1, values[i]);
                }
                try (ResultSet plan = explain.executeQuery()) {
                    assertTrue(plan.next());
                    return plan.getString(1);
                }
            }
        }
    }

    /**
     * Fails unless {@code plan} reads {@code index} in the order asked for and touches at most {@code rows} rows
     * besides the ones it returns, beyond the two H2 counts: where its read of the index begins (the key's own row)
     * and where it ends.
     */
    static void assertOrderedRead(String plan, String index, int rows) {
        assertTrue(plan.contains("/* PUBLIC." + index) && plan.contains("/* index sorted */"),
                "not an ordered read of " + index + ":\n" + plan);
        Matcher scanned = SCAN_COUNT.matcher(plan);
        assertTrue(scanned.find(), plan);
        assertTrue(Integer.parseInt(scanned.group(1)) <= rows + 2, rows + " rows wanted:\n" + plan);
    }
}
