package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;

/**
 * Names the message rows that differ from the ledger: both tables merged in hash order. Slow on a
 * large ledger (H2 sorts the messages, which have no hash index), so it runs only after the scan's totals
 * said something differs.
 */
final class ProjectionDiagnosis {
    private static final String LEDGER_SQL = "SELECT hash, height, author, ts, body, order_ts FROM "
            + Tables.LEDGER + " WHERE kind = " + Kind.MESSAGE.code() + " ORDER BY hash";
    private static final String MESSAGES_SQL = "SELECT hash, sort_key, author, ts, text, shown, sender, seal FROM "
            + Tables.MESSAGES + " ORDER BY hash";
    private final Problems problems;

    private final Seal seal;

    ProjectionDiagnosis(Problems problems, Seal seal) {
        this.problems = problems;
        this.seal = seal;
    }

    /** Two connections on one snapshot: a lazy H2 result must not share its connection with another open one. */
    void run(Connection ledgerSide, Connection messagesSide) throws SQLException {
        try (Statement ls = Snapshot.streaming(ledgerSide); Statement ms = Snapshot.streaming(messagesSide);
             ResultSet ledger = ls.executeQuery(LEDGER_SQL); ResultSet messages = ms.executeQuery(MESSAGES_SQL)) {
            MessageCursor projection = new MessageCursor(messages, seal);
            while (ledger.next()) {
                String hash = Tables.hex(ledger.getBytes(1));
                projection.skipBefore(hash, problems);
                MessageCursor.Row message = projection.takeIf(hash);
                if (message == null) {
                    problems.report(Problem.Kind.PROJECTION, hash, "message row missing");
                    continue;
                }
                try {
                    // Only the fields a message row repeats; the ledger pass already judged the rest of the row.
                    Body.Message body = (Body.Message) Body.decode(Kind.MESSAGE, ledger.getBytes(5), Tables.STORED_LIMITS);
                    // The hex of a binary sort key is the string form, so the two compare as text.
                    String sortKey = new OrderKey(ledger.getLong(6), ledger.getLong(2), hash).sortKey();
                    if (!message.matches(sortKey, Tables.hex(ledger.getBytes(3)), ledger.getLong(4), body.text())) {
                        problems.report(Problem.Kind.PROJECTION, hash, "message row differs from the ledger");
                    } else if (!message.showSealed()) {
                        problems.report(Problem.Kind.PROJECTION, hash,
                                "message row shown, hidden or named otherwise than this node stored it");
                    }
                } catch (IllegalArgumentException | NullPointerException e) {
                    problems.report(Problem.Kind.PROJECTION, hash, "message row cannot be compared: the ledger row is malformed");
                }
            }
            projection.skipBefore(null, problems);
        }
    }
}
