package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.NodeIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation scan against a real H2 file written through the real persistence unit and
 * repository: a DAG of blocks from two authors, committed in groups as the writer does. Every
 * seeded tamper (any column of any table edited, a row deleted or inserted, two texts swapped) must
 * make the scan invalid, and undoing it must make it valid again, whatever the number of passes.
 */
class LedgerScannerTest {
    private static final String GROUP = "scanner-test";
    private static final int BLOCKS = 240;
    private static final int SEEDS = 120;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static ExecutorService pool;

    @BeforeAll
    static void writeLedger() {
        ledger = TestLedger.write(GROUP, NodeIdentity.generate(), dir, BLOCKS, 42);
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        ledger.close();
    }

    private static ScanResult scan(int parts) throws SQLException {
        return ledger.scan(pool, parts, false);
    }

    @Test
    void anIntactLedgerIsValidWithAnyNumberOfPasses() throws SQLException {
        for (int parts = 1; parts <= 4; parts++) {
            ScanResult result = scan(parts);
            assertTrue(result.valid(), "parts=" + parts + ": " + result.problems());
            assertEquals(BLOCKS, result.blocks());
        }
    }

    @Test
    void theFullSignaturePassFindsNothingOnAnIntactLedger() throws SQLException {
        ScanResult result = ledger.scan(pool, 2, true);
        assertTrue(result.valid(), result.problems().toString());
    }

    @Test
    void everySeededTamperIsFoundAndItsUndoIsValidAgain() throws Exception {
        try (Connection c = ledger.connect()) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Random random = new Random(seed);
                Tampering tamper = Tampering.pick(random, ledger.hashes);
                tamper.apply(c, random);
                ScanResult damaged = scan(1 + random.nextInt(3));
                assertFalse(damaged.valid(), "seed " + seed + ": " + tamper + " went unnoticed");
                tamper.undo(c);
                ScanResult repaired = scan(1 + random.nextInt(3));
                assertTrue(repaired.valid(), "seed " + seed + ": after undoing " + tamper + ": " + repaired.problems());
            }
        }
    }
}
