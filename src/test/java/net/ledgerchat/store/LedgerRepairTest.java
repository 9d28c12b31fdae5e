package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repair on a real H2 file through the real persistence unit: after any seeded tamper the repair
 * makes the ledger valid again by itself, or names exactly the blocks to fetch from a peer, and
 * once those are put back (as a peer would send them) the ledger is valid. A forged block is
 * removed and never asked for.
 */
class LedgerRepairTest {
    private static final String GROUP = "repair-test";
    private static final int BLOCKS = 200;
    private static final int SEEDS = 120;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static ExecutorService pool;

    @BeforeAll
    static void writeLedger() {
        ledger = TestLedger.write(GROUP, NodeIdentity.generate(), dir, BLOCKS, 7);
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        ledger.close();
    }

    private static LedgerRepair.Repaired repair(ScanResult damaged) {
        return ledger.inTransaction(em -> new LedgerRepair(em).repair(damaged.problems(), ledger.heads,
                Optional.of(ledger.digest), 1_000));
    }

    /** Repairs, hands back what the repair asked for, and checks the ledger is whole again. */
    private static LedgerRepair.Repaired repairAndRestore(String what) throws SQLException {
        ScanResult damaged = ledger.scan(pool, 2, false);
        assertFalse(damaged.valid(), what + " went unnoticed");
        LedgerRepair.Repaired repaired = repair(damaged);
        ledger.restore(List.copyOf(repaired.wanted()));
        ScanResult after = ledger.scan(pool, 2, false);
        assertTrue(after.valid(), what + ": after repair " + repaired + ": " + after.problems());
        assertEquals(BLOCKS, after.blocks(), what);
        return repaired;
    }

    @Test
    void everySeededTamperIsRepairedAskingPeersOnlyForTheDamagedBlock() throws Exception {
        try (Connection c = ledger.connect()) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Random random = new Random(seed);
                Tampering tamper = Tampering.pick(random, ledger.hashes);
                tamper.apply(c, random);
                LedgerRepair.Repaired repaired = repairAndRestore("seed " + seed + ": " + tamper);
                Set<String> allowed = tamper.block() == null ? Set.of() : Set.of(tamper.block());
                assertTrue(allowed.containsAll(repaired.wanted()),
                        "seed " + seed + ": " + tamper + " asked peers for " + repaired.wanted());
            }
        }
    }

    @Test
    void aTextEditADeletedRowAndAForgedRowTogetherAreRepaired() throws Exception {
        String edited = ledger.hashes.get(50);
        String deleted = ledger.hashes.get(120);
        Block forged = forgedChildOf(ledger.hashes.get(80));
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "UPDATE messages SET text = 'not what was said' WHERE hash = " + Rows.bin(edited));
            Rows.exec(c, "DELETE FROM ledger WHERE hash = " + Rows.bin(deleted));
            insertUnsealed(c, forged);
        }

        LedgerRepair.Repaired repaired = repairAndRestore("edit, delete and forgery");

        assertEquals(Set.of(deleted), repaired.wanted());
        assertEquals(List.of(forged.hash()), repaired.removed());
        assertTrue(repaired.rebuiltMessages().contains(edited));
    }

    @Test
    void aRepairThatCannotGetItsBlockBackLeavesItListedAsMissing() throws Exception {
        String deleted = ledger.hashes.get(30);
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "DELETE FROM ledger WHERE hash = " + Rows.bin(deleted));
        }
        LedgerRepair.Repaired repaired = repair(ledger.scan(pool, 2, false));
        ScanResult waiting = ledger.scan(pool, 2, false);

        assertEquals(Set.of(deleted), repaired.wanted());
        assertTrue(waiting.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.MISSING && deleted.equals(p.block())),
                waiting.problems().toString());
        ledger.restore(List.of(deleted));
        assertTrue(ledger.scan(pool, 2, false).valid());
    }

    /** A value of the wrong length is reported by its stored bytes, and the repair must find the row by them. */
    @Test
    void aLedgerRowWhoseHashLostAByteIsRemovedAndFetchedAgain() throws Exception {
        String damaged = ledger.hashes.get(60);
        String shortened = damaged.substring(0, 62);
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "UPDATE ledger SET hash = " + Rows.bin(shortened) + " WHERE hash = " + Rows.bin(damaged));
        }
        LedgerRepair.Repaired repaired = repairAndRestore("a ledger hash one byte short");
        assertEquals(List.of(shortened), repaired.removed());
        assertEquals(Set.of(damaged), repaired.wanted());
    }

    /** A correctly hashed and signed block by a stranger, inserted without this node's seal. */
    private static Block forgedChildOf(String parent) throws Exception {
        OrderKey parentKey = ledger.written.get(parent).key();
        return new BlockFactory(GROUP, NodeIdentity.generate()).create(List.of(parentKey), "Mallory",
                Instant.ofEpochMilli(parentKey.orderTs() + 1), "forged");
    }

    private static void insertUnsealed(Connection c, Block block) throws SQLException {
        OrderKey key = OrderKey.of(block, ledger.written.get(block.parents().get(0)).key().orderTs());
        List<Object> values = new ArrayList<>(List.of(Tables.hashBytes(block.hash()), Tables.parentBytes(block.parents()),
                block.height(), Hex.decode(block.author(), 32, "author"), block.sender(), block.timestamp().toEpochMilli(),
                block.message(), Hex.decode(block.signature(), 64, "signature"), key.orderTs(), key.sortKeyBytes(),
                new byte[32]));
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        String[] columns = {"hash", "parents", "height", "author", "sender", "ts", "message", "signature", "order_ts",
            "sort_key", "seal"};
        for (int i = 0; i < columns.length; i++) {
            row.put(columns[i], values.get(i));
        }
        Rows.insert(c, "ledger", row);
    }
}
