package net.ledgerchat.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;

/**
 * What one sync read-ahead ({@link LedgerRepository#linkedBefore}), one probe
 * ({@link LedgerRepository#newestAtOrBefore}) and one chat page ({@link LedgerRepository#messagesBefore}) cost on a
 * real H2 file of a realistic ledger: the plan H2 chooses for the exact SQL EclipseLink sends ({@code EXPLAIN
 * ANALYZE}, whose scanCount is the rows H2 touched), and the time per call for a key near the top, middle and
 * bottom of the ledger. A measuring tool, run by hand, not a test (it prints figures and asserts nothing):
 *
 * <pre>mvn -B -o -q test-compile exec:java -Dexec.mainClass=net.ledgerchat.store.LinkedBeforeCost \
 *     -Dexec.classpathScope=test -Dexec.args="target/walk-cost 100000"</pre>
 *
 * The ledger (a group's founding, then messages of three authors: {@link RealisticLedger}) is written once into
 * the directory given and reused by later runs.
 */
public final class LinkedBeforeCost {
    private static final int[] LIMITS = {8, 64, 1_024};
    private static final long MEASURE_NANOS = 1_000_000_000L;
    private static final int KEYS_APART = 32;
    /** The chat page's 50 messages and one to tell whether there are older ones. */
    private static final int PAGE = 51;

    private LinkedBeforeCost() {
    }

    public static void main(String[] args) throws SQLException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/walk-cost");
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("chat");
        boolean existing = Files.exists(dir.resolve("chat.mv.db"));
        EntityManagerFactory factory = ChatUnit.open(url, "chat", "chat", dir.resolve("ddl.sql"), Map.of());
        try (Connection admin = DriverManager.getConnection(url, "chat", "chat")) {
            if (!existing) {
                long start = System.nanoTime();
                NodeIdentity[] authors = {NodeIdentity.generate(), NodeIdentity.generate(), NodeIdentity.generate()};
                RealisticLedger.write(factory, size, 7, authors, new ArrayList<>(), new KnownBlocks());
                System.out.printf("wrote %,d blocks in %.1f s%n", size, (System.nanoTime() - start) / 1e9);
            }
            List<OrderKey> keys = keys(admin);
            System.out.printf("%,d blocks; indexes on ledger: %s%n", keys.size(), indexes(admin));
            EntityManager em = factory.createEntityManager();
            try {
                LedgerRepository repository = new LedgerRepository(em);
                int[] ranks = {keys.size() - 1, keys.size() / 2, 100 + KEYS_APART};
                for (int rank : ranks) {
                    OrderKey key = keys.get(rank);
                    for (int limit : LIMITS) {
                        explain(admin, () -> repository.linkedBefore(key, limit), List.of(key.sortKeyBytes(), limit, 0),
                                "linkedBefore(key of rank " + rank + ", " + limit + ")");
                        double micros = perCall(i -> repository.linkedBefore(keys.get(rank - i), limit));
                        System.out.printf("linkedBefore(key of rank %,d, %,d): %,.0f us per call%n", rank, limit, micros);
                    }
                    List<Long> cutoff = List.of(key.orderTs());
                    byte[] bound = new OrderKey(key.orderTs() + 1, 0, "0".repeat(64)).sortKeyBytes();
                    explain(admin, () -> repository.newestAtOrBefore(cutoff), List.of(bound, 1, 0),
                            "newestAtOrBefore(orderTs of rank " + rank + ")");
                    System.out.printf("newestAtOrBefore(orderTs of rank %,d): %,.0f us per call%n", rank,
                            perCall(i -> repository.newestAtOrBefore(List.of(keys.get(rank - i).orderTs()))));
                }
                System.out.printf("newestAtOrBefore(the cutoffs of a sync request, 1 s to 2^24 s back): %,.0f us per call%n",
                        perCall(i -> repository.newestAtOrBefore(requestCutoffs(keys.get(keys.size() - 1 - i)))));
                pages(admin, repository, keys);
                walk(repository, keys);
            } finally {
                em.close();
            }
        } finally {
            factory.close();
        }
    }

    /** The chat page: the newest messages, and those before a key in the middle. */
    private static void pages(Connection admin, LedgerRepository repository, List<OrderKey> keys) throws SQLException {
        // EclipseLink binds the TRUE of "shown = TRUE" first.
        explain(admin, () -> repository.messagesBefore(Optional.empty(), PAGE), List.of(true, PAGE, 0),
                "messagesBefore(none, " + PAGE + ")");
        // Limits that differ from call to call, for the same reason keys do in perCall.
        System.out.printf("messagesBefore(none, about %d): %,.0f us per call%n", PAGE,
                perCall(i -> repository.messagesBefore(Optional.empty(), PAGE + i)));
        int rank = keys.size() / 2;
        OrderKey middle = keys.get(rank);
        explain(admin, () -> repository.messagesBefore(Optional.of(middle), PAGE), List.of(true, middle.sortKeyBytes(), PAGE, 0),
                "messagesBefore(key of rank " + rank + ", " + PAGE + ")");
        System.out.printf("messagesBefore(key of rank %,d, %d): %,.0f us per call%n", rank, PAGE,
                perCall(i -> repository.messagesBefore(Optional.of(keys.get(rank - i)), PAGE)));
    }

    /** ContainerLedger.probes's cutoffs for a node whose newest block is {@code newest}. */
    private static List<Long> requestCutoffs(OrderKey newest) {
        List<Long> cutoffs = new ArrayList<>();
        for (int i = 0; i < 25 && newest.orderTs() - (1000L << i) > 0; i++) {
            cutoffs.add(newest.orderTs() - (1000L << i));
        }
        return cutoffs;
    }

    /** The whole ledger read downwards from the top in windows of 1,024: a catch-up's read-ahead, without misses. */
    private static void walk(LedgerRepository repository, List<OrderKey> keys) {
        long start = System.nanoTime();
        OrderKey at = keys.get(keys.size() - 1);
        long rows = 1;
        long calls = 0;
        while (true) {
            List<LedgerRepository.Linked> next = repository.linkedBefore(at, 1_024);
            calls++;
            if (next.isEmpty()) {
                break;
            }
            rows += next.size();
            at = next.get(next.size() - 1).key();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("walk from the top: %,d rows in %,d calls, %.2f s (%,.0f rows/s)%n", rows, calls, seconds,
                rows / seconds);
    }

    /**
     * Runs {@code call} once with H2's statistics on, then prints the plan of each statement it sent: EXPLAIN, and
     * EXPLAIN ANALYZE with {@code values} bound to its parameters in order.
     */
    private static void explain(Connection admin, Runnable call, List<Object> values, String what) throws SQLException {
        try (Statement s = admin.createStatement()) {
            // Turning the statistics off and on empties them.
            s.execute("SET QUERY_STATISTICS FALSE");
            s.execute("SET QUERY_STATISTICS TRUE");
        }
        call.run();
        List<String> sent = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
            while (rs.next()) {
                if (!rs.getString(1).contains("QUERY_STATISTICS")) {
                    sent.add(rs.getString(1));
                }
            }
        }
        try (Statement s = admin.createStatement()) {
            s.execute("SET QUERY_STATISTICS FALSE");
        }
        for (String sql : sent) {
            System.out.printf("%n%s%nsent:    %s%n", what, sql);
            System.out.println("explain: " + plan(admin, "EXPLAIN " + sql, List.of()).replace("\n", " "));
            System.out.println("analyze: " + plan(admin, "EXPLAIN ANALYZE " + sql, values).replace("\n", " "));
        }
    }

    private static String plan(Connection admin, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement explain = admin.prepareStatement(sql)) {
            int parameters = values.isEmpty() ? 0 : explain.getParameterMetaData().getParameterCount();
            for (int i = 0; i < parameters; i++) {
                explain.setObject(i + 1, values.get(i));
            }
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        }
    }

    /**
     * Mean time of {@code call}, given 0 .. {@link #KEYS_APART} - 1 in turn so that each call names another key
     * than the one before: H2 answers a repeated statement with unchanged parameters from its last result.
     */
    private static double perCall(IntConsumer call) {
        for (int i = 0; i < 3; i++) {
            call.accept(i);
        }
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < MEASURE_NANOS || calls < 5) {
            call.accept(calls % KEYS_APART);
            calls++;
        }
        return (System.nanoTime() - start) / 1e3 / calls;
    }

    private static List<OrderKey> keys(Connection admin) throws SQLException {
        List<OrderKey> keys = new ArrayList<>();
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT sort_key FROM ledger ORDER BY sort_key")) {
            while (rs.next()) {
                keys.add(OrderKey.fromSortKeyBytes(rs.getBytes(1)));
            }
        }
        return keys;
    }

    private static List<String> indexes(Connection admin) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT INDEX_NAME FROM"
                + " INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'LEDGER' ORDER BY INDEX_NAME")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
