package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;

/**
 * Every keyset read (chat pages, sync walks, blocks after a cursor) trusts H2 to order the binary sort key as
 * the ledger orders keys. That holds only if H2 compares VARBINARY unsigned, byte by byte: a signed comparison
 * would put a key whose byte is 0x80 or above before one with 0x7f. Checked on keys built to straddle that edge.
 */
class BinarySortKeyOrderTest {
    @Test
    void h2OrdersBinarySortKeysAsTheLedgerOrdersKeys() throws SQLException {
        List<OrderKey> keys = new ArrayList<>();
        long[] values = {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff_ffffL, 0x8000_0000L, 1_700_000_000_000L, Long.MAX_VALUE};
        String[] hashes = {"00".repeat(32), "7f".repeat(32), "80".repeat(32), "ff".repeat(32),
            "7f" + "ff".repeat(31), "80" + "00".repeat(31)};
        Random random = new Random(5);
        for (long ts : values) {
            for (long height : values) {
                for (String hash : hashes) {
                    keys.add(new OrderKey(ts, height, hash));
                }
                byte[] randomHash = new byte[32];
                random.nextBytes(randomHash);
                keys.add(new OrderKey(ts, height, Hex.encode(randomHash)));
            }
        }
        List<OrderKey> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, random);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keys (sort_key VARBINARY(48) NOT NULL PRIMARY KEY)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO keys VALUES (?)")) {
                for (OrderKey key : shuffled) {
                    insert.setBytes(1, key.sortKeyBytes());
                    insert.executeUpdate();
                }
            }
            Collections.sort(keys);
            assertEquals(keys, read(s, "SELECT sort_key FROM keys ORDER BY sort_key"));
            Collections.reverse(keys);
            assertEquals(keys, read(s, "SELECT sort_key FROM keys ORDER BY sort_key DESC"));
            // A range read: strictly below a key whose first hash byte is 0x80.
            OrderKey bound = new OrderKey(0x80, 0x80, "80".repeat(32));
            assertEquals(keys.stream().filter(k -> k.compareTo(bound) < 0).toList(),
                    readBelow(c, bound));
        }
    }

    private static List<OrderKey> read(Statement s, String sql) throws SQLException {
        List<OrderKey> read = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                read.add(OrderKey.fromSortKeyBytes(rs.getBytes(1)));
            }
        }
        return read;
    }

    private static List<OrderKey> readBelow(Connection c, OrderKey bound) throws SQLException {
        List<OrderKey> read = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT sort_key FROM keys WHERE sort_key < ? ORDER BY sort_key DESC")) {
            s.setBytes(1, bound.sortKeyBytes());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    read.add(OrderKey.fromSortKeyBytes(rs.getBytes(1)));
                }
            }
        }
        return read;
    }
}
