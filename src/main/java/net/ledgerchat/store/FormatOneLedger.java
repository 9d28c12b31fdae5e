package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Recognises a ledger written by format 1 (DESIGN section 2), whose rows held a sender and a message text. */
public final class FormatOneLedger {
    private FormatOneLedger() {
    }

    /** Whether the database holds a {@code ledger} table with format 1's {@code message} column. */
    public static boolean isIn(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet columns = meta.getColumns(null, null, Tables.namePattern(meta, Tables.LEDGER),
                Tables.namePattern(meta, "message"))) {
            return columns.next();
        }
    }
}
