package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Names blocks that were deleted: parents some block still names, heads the writer knows, and
 * blocks whose message row outlived them. Runs only when the digest says something is missing.
 */
final class MissingBlocks {
    private static final int LIMIT = LedgerScanner.MAX_LISTED;

    private MissingBlocks() {
    }

    static Set<String> find(Connection connection, Collection<String> knownHeads) throws SQLException {
        Set<String> missing = new LinkedHashSet<>();
        collect(connection, "SELECT DISTINCT p.parent_hash FROM " + Tables.LINKS + " p LEFT JOIN " + Tables.LEDGER
                + " l ON l.hash = p.parent_hash WHERE l.hash IS NULL", missing);
        collect(connection, "SELECT m.hash FROM " + Tables.MESSAGES + " m LEFT JOIN " + Tables.LEDGER
                + " l ON l.hash = m.hash WHERE l.hash IS NULL", missing);
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM " + Tables.LEDGER + " WHERE hash = ?")) {
            for (String head : knownHeads) {
                byte[] hash = Tables.hashOrNull(head);
                if (hash == null) {
                    // Not a hash at all, so certainly not stored.
                    missing.add(head);
                    continue;
                }
                s.setBytes(1, hash);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        missing.add(head);
                    }
                }
            }
        }
        return missing;
    }

    private static void collect(Connection connection, String sql, Set<String> into) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setMaxRows(LIMIT);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && into.size() < LIMIT) {
                    into.add(Tables.hex(rs.getBytes(1)));
                }
            }
        }
    }
}
