package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger created before the descending sort-key index existed, on a real H2 file: the unit's schema generation
 * leaves it without the index, and {@link SortKeyIndexes} adds exactly the index a new database is created with.
 */
class SortKeyIndexesTest {
    @TempDir
    Path dir;

    @Test
    void aNewDatabaseLacksNothing() throws SQLException {
        try (TestLedger ledger = TestLedger.write("indexes", NodeIdentity.generate(), dir, 20, 1);
             Connection connection = ledger.connect()) {
            assertEquals(List.of(), SortKeyIndexes.missing(connection));
        }
    }

    @Test
    void anOlderDatabaseGetsTheIndexANewOneIsCreatedWith() throws SQLException {
        List<List<String>> created;
        String url;
        List<OrderKey> keys = new ArrayList<>();
        try (TestLedger ledger = TestLedger.write("indexes", NodeIdentity.generate(), dir.resolve("older"), 300, 2);
             Connection connection = ledger.connect()) {
            created = descendingIndex(connection);
            assertEquals(List.of(List.of("true", "1", "SORT_KEY", "D")), created);
            url = ledger.url;
            ledger.written.values().forEach(a -> keys.add(a.key()));
            try (Statement s = connection.createStatement()) {
                // What a database of an older version looks like: its tables, without the index.
                s.execute("DROP INDEX " + Tables.LEDGER_SORT_KEY_DESC);
            }
        }
        OrderKey top = keys.stream().max(OrderKey::compareTo).orElseThrow();
        // The node starts again: the unit generates its schema over the existing tables.
        try (EntityManagerFactory unit = ChatUnit.open(url, "chat", "chat", dir.resolve("again.sql"), Map.of());
             Connection connection = DriverManager.getConnection(url, "chat", "chat")) {
            List<SortKeyIndexes.Index> missing = SortKeyIndexes.missing(connection);
            assertEquals(List.of(new SortKeyIndexes.Index(Tables.LEDGER, Tables.LEDGER_SORT_KEY_DESC)), missing,
                    "schema generation added the index to an existing table after all");
            List<LedgerRepository.Linked> before = linkedBefore(unit, top);

            missing.get(0).create(connection);

            assertEquals(List.of(), SortKeyIndexes.missing(connection));
            assertEquals(created, descendingIndex(connection));
            assertEquals(before, linkedBefore(unit, top));
        }
    }

    /** The descending index as the JDBC metadata describes it: uniqueness, column and direction of each column. */
    private static List<List<String>> descendingIndex(Connection connection) throws SQLException {
        List<List<String>> columns = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getIndexInfo(null, connection.getSchema(), "LEDGER", false, true)) {
            while (rows.next()) {
                if (Tables.LEDGER_SORT_KEY_DESC.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    columns.add(List.of(String.valueOf(rows.getBoolean("NON_UNIQUE")), rows.getString("ORDINAL_POSITION"),
                            rows.getString("COLUMN_NAME"), rows.getString("ASC_OR_DESC")));
                }
            }
        }
        assertTrue(!columns.isEmpty(), "no index " + Tables.LEDGER_SORT_KEY_DESC);
        return columns;
    }

    private static List<LedgerRepository.Linked> linkedBefore(EntityManagerFactory unit, OrderKey key) {
        EntityManager em = unit.createEntityManager();
        try {
            return new LedgerRepository(em).linkedBefore(key, 50);
        } finally {
            em.close();
        }
    }
}
