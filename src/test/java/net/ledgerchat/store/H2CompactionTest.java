package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.SplittableRandom;
import net.ledgerchat.config.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The housekeeping pass on a real H2 file opened with the node's own URL: it forces the file to disk after
 * commits (the condition for H2's short retention time to be safe), not when idle, and while commits go on it
 * keeps the file well below what they wrote, without losing a row.
 */
class H2CompactionTest {
    /** Long enough for chunks to pass the retention time several times over. */
    private static final long SUSTAINED_MILLIS = 3L * Database.H2.RETENTION_MILLIS;
    private static final long PASS_MILLIS = Database.H2.RETENTION_MILLIS / 10;

    @TempDir
    Path dir;

    @Test
    void aPassForcesTheFileToDiskAfterCommitsAndNotWhenIdle() throws Exception {
        Database.H2 h2 = new Database.H2(dir);
        try (Connection c = open(h2); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(100))");
            s.execute("INSERT INTO t VALUES (1, 'one')");
            assertEquals(String.valueOf(Database.H2.RETENTION_MILLIS), setting(c, "RETENTION_TIME"));

            H2Compaction.Pass first = H2Compaction.run(h2.jdbcUrl(), h2.user(), h2.password(), -1).orElseThrow();
            assertTrue(first.synced().isPresent(), "a pass after a commit must force the file");
            H2Compaction.Pass idle = H2Compaction.run(h2.jdbcUrl(), h2.user(), h2.password(), first.version()).orElseThrow();
            assertEquals(Optional.empty(), idle.synced(), "nothing was committed since the last pass");

            s.execute("INSERT INTO t VALUES (2, 'two')");
            assertTrue(H2Compaction.run(h2.jdbcUrl(), h2.user(), h2.password(), idle.version()).orElseThrow()
                    .synced().isPresent(), "a commit after an idle pass");
        }
    }

    @Test
    void underSustainedCommitsTheFileStaysWellBelowWhatTheyWrote() throws Exception {
        Database.H2 h2 = new Database.H2(dir);
        long rows = 0;
        long written;
        long file;
        try (Connection c = open(h2); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, k BINARY(32) NOT NULL, v VARCHAR(1000) NOT NULL)");
            s.execute("CREATE INDEX t_k ON t (k)");
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
            SplittableRandom random = new SplittableRandom(1);
            long writtenBefore = Long.parseLong(setting(c, "info.FILE_WRITE_BYTES"));
            long start = System.nanoTime();
            long version = -1;
            long nextPass = start;
            while (System.nanoTime() - start < SUSTAINED_MILLIS * 1_000_000) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                insert.setLong(1, ++rows);
                insert.setBytes(2, key);
                insert.setString(3, "row " + rows + " " + "x".repeat(random.nextInt(200)));
                insert.executeUpdate();
                c.commit();
                if (System.nanoTime() >= nextPass) {
                    version = H2Compaction.run(h2.jdbcUrl(), h2.user(), h2.password(), version).orElseThrow().version();
                    nextPass = System.nanoTime() + PASS_MILLIS * 1_000_000;
                }
            }
            written = Long.parseLong(setting(c, "info.FILE_WRITE_BYTES")) - writtenBefore;
            file = Files.size(h2.file());
        }
        System.out.printf("[H2CompactionTest] %,d commits in %d s wrote %,d bytes; file %,d bytes%n", rows,
                SUSTAINED_MILLIS / 1000, written, file);
        // With H2's default retention (45 s) nothing written in this test could be reused: the file was all of it.
        assertTrue(file < written * 3 / 4, "file " + file + " bytes after commits that wrote " + written);
        try (Connection c = open(h2); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
            r.next();
            assertEquals(rows, r.getLong(1), "rows after reopening the compacted file");
        }
    }

    private static Connection open(Database.H2 h2) throws SQLException {
        return DriverManager.getConnection(h2.jdbcUrl(), h2.user(), h2.password());
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), "H2 reports no setting " + name);
                return r.getString(1);
            }
        }
    }
}
