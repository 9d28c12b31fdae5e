package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
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
 * removed and never asked for. Message rows are rebuilt from their ledger rows, shown as the membership's rule
 * says for the context stored with them.
 */
class LedgerRepairTest {
    private static final int BLOCKS = 200;
    private static final int SEEDS = 120;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static ExecutorService pool;

    @BeforeAll
    static void writeLedger() {
        ledger = TestLedger.write("repair-test", NodeIdentity.generate(), dir, BLOCKS, 7);
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        ledger.close();
    }

    private static LedgerRepair.Repaired repair(ScanResult damaged) {
        return ledger.inTransaction(em -> new LedgerRepair(em).repair(damaged.problems(), ledger.heads,
                Optional.of(ledger.digest), 1_000, ledger.showRule(), ledger.node.seal()));
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
        assertShownAsWritten(what);
        return repaired;
    }

    /** The scan cannot judge how a message is shown (it follows the membership): every row must be as written. */
    private static void assertShownAsWritten(String what) throws SQLException {
        Map<String, Shown> expected = new HashMap<>();
        ledger.messages.forEach(h -> expected.put(h, ledger.written.get(h).shown()));
        Map<String, Shown> stored = new HashMap<>();
        try (Connection c = ledger.connect()) {
            for (Map<String, Object> row : Rows.read(c, "messages", "1 = 1")) {
                stored.put(Hex.encode((byte[]) row.get("HASH")), new Shown((Boolean) row.get("SHOWN"), (String) row.get("SENDER")));
            }
        }
        assertEquals(expected, stored, what);
    }

    @Test
    void everySeededTamperIsRepairedAskingPeersOnlyForTheDamagedBlock() throws Exception {
        try (Connection c = ledger.connect()) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Random random = new Random(seed);
                Tampering tamper = Tampering.pick(random, ledger.hashes, ledger.messages);
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
        String edited = ledger.messages.get(50);
        String deleted = ledger.hashes.get(120);
        LedgerRepository.Append forged = forgedChildOf(ledger.hashes.get(80));
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "UPDATE messages SET text = 'not what was said' WHERE hash = " + Rows.bin(edited));
            Rows.exec(c, "DELETE FROM ledger WHERE hash = " + Rows.bin(deleted));
            Rows.insert(c, "ledger", Rows.ledgerRow(forged));
        }

        LedgerRepair.Repaired repaired = repairAndRestore("edit, delete and forgery");

        assertEquals(Set.of(deleted), repaired.wanted());
        assertEquals(List.of(forged.block().hash()), repaired.removed());
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

    /**
     * A rebuilt message row is shown as the rule answers for the context stored with its block (a removed author's
     * message is hidden, a renamed member's shown under the new name), and the page lists it accordingly.
     */
    @Test
    void aRebuiltMessageRowIsShownAsTheRuleSays() throws Exception {
        String message = ledger.messages.get(40);
        LedgerRepository.Append written = ledger.written.get(message);
        ShowRule normal = ledger.showRule();
        try (Connection c = ledger.connect()) {
            Rows.exec(c, "UPDATE messages SET text = 'not what was said' WHERE hash = " + Rows.bin(message));
            try {
                ScanResult damaged = ledger.scan(pool, 2, false);
                Shown hidden = new Shown(false, "Someone else");
                LedgerRepair.Repaired repaired = ledger.inTransaction(em -> new LedgerRepair(em).repair(damaged.problems(),
                        ledger.heads, Optional.of(ledger.digest), 1_000,
                        (block, context) -> block.hash().equals(message) ? check(normal, block, context, hidden)
                                : normal.shownOf(block, context), ledger.node.seal()));
                assertEquals(List.of(message), repaired.rebuiltMessages());
                assertEquals(List.of(Map.of("SHOWN", false, "SENDER", "Someone else",
                        "TEXT", written.block().body(Body.Message.class).text())), shownRow(c, message));
                assertFalse(listed(message), "a message that does not count is not on the page");
                assertTrue(ledger.scan(pool, 2, false).valid(), "the rebuilt row matches its block");
            } finally {
                ledger.inTransaction(em -> new LedgerRepair(em).rebuildMessages(List.of(message), normal, ledger.node.seal()));
            }
            assertEquals(List.of(Map.of("SHOWN", true, "SENDER", written.shown().name(),
                    "TEXT", written.block().body(Body.Message.class).text())), shownRow(c, message));
            assertTrue(listed(message));
        }
    }

    /** The normal rule's check of the context asked with, and {@code answer} instead of its answer. */
    private static Shown check(ShowRule normal, Block block, List<String> context, Shown answer) {
        normal.shownOf(block, context);
        return answer;
    }

    private static List<Map<String, Object>> shownRow(Connection c, String hash) throws SQLException {
        return Rows.read(c, "messages", "hash = " + Rows.bin(hash)).stream()
                .map(r -> Map.of("SHOWN", r.get("SHOWN"), "SENDER", r.get("SENDER"), "TEXT", r.get("TEXT"))).toList();
    }

    private static boolean listed(String hash) {
        EntityManager em = ledger.factory.createEntityManager();
        try {
            return new LedgerRepository(em).messagesBefore(Optional.empty(), BLOCKS).stream()
                    .anyMatch(m -> m.id().equals(hash));
        } finally {
            em.close();
        }
    }

    /** A correctly hashed and signed message by a stranger, inserted without this node's seal. */
    private static LedgerRepository.Append forgedChildOf(String parent) {
        OrderKey parentKey = ledger.written.get(parent).key();
        Block forged = new BlockFactory(NodeIdentity.generate()).write(ledger.group, List.of(parentKey),
                Instant.ofEpochMilli(parentKey.orderTs() + 1), GroupBlocks.message("forged", new Random(3)));
        return new LedgerRepository.Append(forged, OrderKey.of(forged, parentKey.orderTs()), Hex.encode(new byte[32]),
                ledger.written.get(parent).context(), new Shown(true, "Mallory"), Hex.encode(new byte[32]), null);
    }
}
