package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 is the default database and the one the benchmarks measure, so its schema must not move by
 * accident. h2-schema.sql is the DDL EclipseLink generated for the {@code chat} unit on H2 before
 * any SQL Server work, plus the descending sort-key indexes the sync walk and the chat page read, with
 * hashes, keys, signature, seal and sort key as VARBINARY of their exact byte length (the binary layout;
 * {@link StoreColumns} declares them, EclipseLink alone would write an unbounded LONGVARBINARY); the unit
 * must keep generating exactly that, statement for statement.
 */
class H2SchemaTest {
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

    private static List<String> expected() throws IOException {
        return ChatUnit.resourceStatements("h2-schema.sql");
    }
}
