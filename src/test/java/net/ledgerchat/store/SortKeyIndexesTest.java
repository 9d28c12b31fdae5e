package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Locale;
import java.util.Map;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger created before the descending sort-key index existed, on a real H2 file: the unit's schema generation
 * leaves it without the indexes, and {@link SortKeyIndexes} adds exactly the indexes a new database is created with.
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
    void anOlderDatabaseGetsTheIndexesANewOneIsCreatedWith() throws SQLException {
        List<SortKeyIndexes.Index> declared = List.of(new SortKeyIndexes.Index(Tables.LEDGER, Tables.LEDGER_SORT_KEY_DESC),
                new SortKeyIndexes.Index(Tables.MESSAGES, Tables.MESSAGES_SORT_KEY_DESC));
        List<List<String>> created = new ArrayList<>();
        String url;
        List<OrderKey> keys = new ArrayList<>();
        try (TestLedger ledger = TestLedger.write("indexes", NodeIdentity.generate(), dir.resolve("older"), 300, 2);
             Connection connection = ledger.connect()) {
            for (SortKeyIndexes.Index index : declared) {
                created.add(descendingIndex(connection, index));
                assertEquals(List.of("true", "1", "SORT_KEY", "D"), created.get(created.size() - 1));
            }
            url = ledger.url;
            ledger.written.values().forEach(a -> keys.add(a.key()));
            try (Statement s = connection.createStatement()) {
                // What a database of an older version looks like: its tables, without the indexes.
                for (SortKeyIndexes.Index index : declared) {
                    s.execute("DROP INDEX " + index.name());
                }
            }
        }
        OrderKey top = keys.stream().max(OrderKey::compareTo).orElseThrow();
        // The node starts again: the unit generates its schema over the existing tables.
        try (EntityManagerFactory unit = ChatUnit.open(url, "chat", "chat", dir.resolve("again.sql"), Map.of());
             Connection connection = DriverManager.getConnection(url, "chat", "chat")) {
            assertEquals(declared, SortKeyIndexes.missing(connection),
                    "schema generation added an index to an existing table after all");
            List<LedgerRepository.Linked> before = linkedBefore(unit, top);

            for (SortKeyIndexes.Index index : declared) {
                index.create(connection);
            }

            assertEquals(List.of(), SortKeyIndexes.missing(connection));
            List<List<String>> added = new ArrayList<>();
            for (SortKeyIndexes.Index index : declared) {
                added.add(descendingIndex(connection, index));
            }
            assertEquals(created, added);
            assertEquals(before, linkedBefore(unit, top));
        }
    }

    /** The index of one column as the JDBC metadata describes it: non-unique, position, column, direction. */
    private static List<String> descendingIndex(Connection connection, SortKeyIndexes.Index index) throws SQLException {
        List<List<String>> columns = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getIndexInfo(null, connection.getSchema(),
                index.table().toUpperCase(Locale.ROOT), false, true)) {
            while (rows.next()) {
                if (index.name().equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    columns.add(List.of(String.valueOf(rows.getBoolean("NON_UNIQUE")), rows.getString("ORDINAL_POSITION"),
                            rows.getString("COLUMN_NAME"), rows.getString("ASC_OR_DESC")));
                }
            }
        }
        assertEquals(1, columns.size(), index + ": " + columns);
        return columns.get(0);
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
