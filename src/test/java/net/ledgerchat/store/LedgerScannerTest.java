package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * repository: a group's founding, then a DAG of messages from two authors, committed in groups as the writer
 * does. Every seeded tamper (any column the scan vouches for edited, a row deleted) must make the scan invalid,
 * and undoing it must make it valid again, whatever the number of passes; so must a row moved to another
 * group, or a block of another group that this node sealed.
 */
class LedgerScannerTest {
    private static final int BLOCKS = 240;
    private static final int SEEDS = 120;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static ExecutorService pool;

    @BeforeAll
    static void writeLedger() {
        ledger = TestLedger.write("scanner-test", NodeIdentity.generate(), dir, BLOCKS, 42);
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
                Tampering tamper = Tampering.pick(random, ledger.hashes, ledger.messages);
                tamper.apply(c, random);
                ScanResult damaged = scan(1 + random.nextInt(3));
                assertFalse(damaged.valid(), "seed " + seed + ": " + tamper + " went unnoticed");
                tamper.undo(c);
                ScanResult repaired = scan(1 + random.nextInt(3));
                assertTrue(repaired.valid(), "seed " + seed + ": after undoing " + tamper + ": " + repaired.problems());
            }
        }
    }

    /** A row whose group column names another group: its hash no longer recomputes, and the scan says why. */
    @Test
    void aLedgerRowMovedToAnotherGroupIsFound() throws Exception {
        String moved = ledger.hashes.get(2);
        String other = GroupBlocks.found("elsewhere", List.of(NodeIdentity.generate()), Instant.ofEpochMilli(1_700_000_000_000L),
                new Random(1)).id();
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "UPDATE ledger SET grp = " + Rows.bin(other) + " WHERE hash = " + Rows.bin(moved));
            try {
                ScanResult damaged = scan(2);
                assertTrue(damaged.problems().contains(new Problem(Problem.Kind.EDITED, moved,
                        "ledger row belongs to another group")), damaged.problems().toString());
            } finally {
                Rows.exec(c, "UPDATE ledger SET grp = " + Rows.bin(ledger.group) + " WHERE hash = " + Rows.bin(moved));
            }
        }
        ScanResult undone = scan(2);
        assertTrue(undone.valid(), undone.problems().toString());
    }

    /**
     * The same node key may serve several groups, each in its own database: a row copied from another group's
     * ledger hashes right and carries this node's seal, so only its group says it does not belong here.
     */
    @Test
    void aBlockOfAnotherGroupSealedByThisNodeIsNamed() throws Exception {
        GroupBlocks elsewhere = GroupBlocks.found("elsewhere", List.of(ledger.node), Instant.ofEpochMilli(1_700_000_000_000L),
                new Random(2));
        GroupBlocks.Placed copied = elsewhere.message(ledger.node, List.of(elsewhere.last()),
                Instant.ofEpochMilli(1_700_000_000_100L), "said in another group");
        LedgerRepository.Append append = copied.append(ledger.node.seal(), null);
        String hash = copied.block().hash();
        try (Connection c = ledger.connect()) {
            // Whole: ledger row, parent link and message row, so that only the sealed count and digest differ.
            Rows.insert(c, "ledger", Rows.ledgerRow(append));
            Rows.insert(c, "ledger_parent", Map.of("child_hash", Tables.hashBytes(hash),
                    "parent_hash", Tables.hashBytes(elsewhere.id())));
            Rows.insert(c, "messages", Rows.messageRow(append));
            try {
                ScanResult damaged = scan(2);
                assertTrue(damaged.problems().contains(new Problem(Problem.Kind.EDITED, hash,
                        "ledger row belongs to another group")), damaged.problems().toString());
                // Its hash, seal, link and message row are right: the group is what names it.
                assertEquals(1, damaged.problems().stream().filter(p -> hash.equals(p.block())).count(),
                        damaged.problems().toString());
            } finally {
                for (String table : new String[] {"ledger", "messages"}) {
                    Rows.exec(c, "DELETE FROM " + table + " WHERE hash = " + Rows.bin(hash));
                }
                Rows.exec(c, "DELETE FROM ledger_parent WHERE child_hash = " + Rows.bin(hash));
            }
        }
        ScanResult undone = scan(2);
        assertTrue(undone.valid(), undone.problems().toString());
    }
}
