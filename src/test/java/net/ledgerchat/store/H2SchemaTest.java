package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 is the default database and the one the benchmarks measure, so its schema must not move by
 * accident. h2-schema.sql is the DDL EclipseLink generates for the {@code chat} unit on H2 for block format 2
 * (a format-2 ledger lives in its own file, group.mv.db, so no format-1 file meets it): the ledger row holds the
 * header's fields, the body's canonical bytes and the membership context; the message row, for messages only,
 * how the message is shown. With the descending sort-key indexes the sync walk and the chat page read, and every
 * binary column a VARBINARY of its exact byte length ({@link StoreColumns} declares them; EclipseLink alone would
 * write an unbounded LONGVARBINARY). The unit must keep generating exactly that, statement for statement; and the
 * expected file itself is held to those lengths, so it cannot be regenerated into a wrong schema unnoticed.
 */
class H2SchemaTest {
    /** Any binary column, whatever its type: a LONGVARBINARY or a padded fixed BINARY must show up here too. */
    private static final Pattern BINARY_COLUMN = Pattern.compile("(\\w+) ((?:LONG)?(?:VAR)?BINARY(?:\\(\\d+\\))?(?: NOT NULL)?)");

    @TempDir
    Path dir;

    @Test
    void theH2SchemaIsTheOneH2NodesAlreadyHave() throws IOException {
        Path script = dir.resolve("create.sql");
        // No eclipselink.target-database: EclipseLink picks the platform from the connection, as it does in Payara.
        try (EntityManagerFactory ignored = ChatUnit.open("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "", script, Map.of())) {
            assertEquals(expected(), ChatUnit.statements(script));
        }
    }

    @Test
    void theExpectedSchemaDeclaresEveryBinaryColumnAtItsExactLength() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (String hash : List.of("ledger.hash", "ledger.author", "ledger.grp", "ledger.seal", "messages.hash", "messages.seal",
                "messages.author", "ledger_parent.child_hash", "ledger_parent.parent_hash")) {
            expected.put(hash, "VARBINARY(32) NOT NULL");
        }
        expected.put("ledger.signature", "VARBINARY(64) NOT NULL");
        expected.put("ledger.parents", "VARBINARY(" + Tables.MAX_STORED_PARENTS * 32 + ") NOT NULL");
        expected.put("ledger.sort_key", "VARBINARY(" + OrderKey.SORT_KEY_BYTES + ") NOT NULL");
        expected.put("messages.sort_key", "VARBINARY(" + OrderKey.SORT_KEY_BYTES + ") NOT NULL");
        // The widest body: a message of the largest MAX_MESSAGE_BYTES, its salt and length prefix.
        expected.put("ledger.body", "VARBINARY(" + Tables.BODY_BYTES + ") NOT NULL");
        expected.put("ledger.context", "VARBINARY(" + Tables.MAX_CONTEXT * 32 + ") NOT NULL");
        assertEquals(expected, new TreeMap<>(ChatUnit.columns(expected(), BINARY_COLUMN)));
        assertTrue(Tables.BODY_BYTES >= Tables.TEXT_LENGTH + 16 + 4, "a message body is its salt, a length and the text");
    }

    private static List<String> expected() throws IOException {
        return ChatUnit.resourceStatements("h2-schema.sql");
    }
}
