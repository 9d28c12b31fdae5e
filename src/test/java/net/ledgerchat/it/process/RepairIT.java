package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.Tamper;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tamper-repair test of the peers issue, on two real uber-jar nodes: in one node's live H2
 * database a message text is edited, a ledger row deleted and a forged row (a bad signature)
 * inserted; within one SYNC_INTERVAL the node is valid again, repaired from its peer, and both
 * nodes list the same messages with the original text. The forgery never reaches the peer.
 */
class RepairIT {
    private static final int SYNC_INTERVAL_SECONDS = 6;
    /** A validation of a small ledger, the fetch and the re-check take well under this on loopback. */
    private static final long SLACK_MILLIS = 4_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aTamperedNodeIsRepairedFromItsPeerWithinOneSyncInterval() throws Exception {
        try (Pair pair = Pair.of("repair", Map.of("SYNC_INTERVAL", Integer.toString(SYNC_INTERVAL_SECONDS))).started()) {
            NodeProcess a = pair.a();
            Map<String, String> envA = pair.envA();
            HttpJson ha = a.http();
            HttpJson hb = pair.b().http();
            for (int i = 0; i < 10; i++) {
                assertEquals(201, ha.sendMessage("ann " + i).status());
                assertEquals(201, hb.sendMessage("bob " + i).status());
            }
            Group.awaitSame(ha, hb, 20);
            List<String> ids = Group.ids(ha);
            String edited = ids.get(4);
            String deleted = ids.get(11);
            Block forged = forgedChildOf(ha, ids.get(15));
            awaitValid(ha, Instant.EPOCH, 30_000);

            Tamper db = new Tamper("jdbc:h2:file:" + Path.of(envA.get("DATA_DIR")).resolve("group") + ";AUTO_SERVER=TRUE");
            // Right after a periodic validation the next is a whole interval away, and the three edits
            // land in one commit: one validation finds all three, so one repair reports all three.
            awaitNextValidation(ha, SYNC_INTERVAL_SECONDS * 1000L + SLACK_MILLIS);
            db.atOnce(Tamper.statement("UPDATE messages SET text = 'words Ann never wrote' WHERE hash = " + Tamper.bin(edited)),
                    Tamper.statement("DELETE FROM ledger WHERE hash = " + Tamper.bin(deleted)),
                    Tamper.forged(forged));
            Instant tampered = Instant.now();

            long took = awaitValid(ha, tampered, SYNC_INTERVAL_SECONDS * 1000L + SLACK_MILLIS);
            System.out.printf("[RepairIT] valid again %d ms after the tampering (SYNC_INTERVAL %d s)%n", took,
                    SYNC_INTERVAL_SECONDS);

            JsonObject repair = ha.get("/api/ledger").json().getJsonObject("repair");
            assertTrue(repair.getJsonArray("removed").toString().contains(forged.hash()), repair.toString());
            assertTrue(repair.getJsonArray("rebuiltMessages").toString().contains(edited), repair.toString());
            assertTrue(repair.getJsonArray("restored").toString().contains(deleted), repair.toString());
            assertTrue(repair.getJsonArray("outstanding").isEmpty(), repair.toString());
            assertEquals(Group.ids(hb), Group.ids(ha));
            assertEquals(texts(hb), texts(ha), "the edited text is back");
            assertFalse(hb.get("/api/ledger/blocks?limit=500").body().contains(forged.hash()), "the forgery spread");
            assertFalse(ha.get("/api/ledger/blocks?limit=500").body().contains(forged.hash()), "the forgery stayed");
            assertTrue(a.logText().contains("[Repair] Restored block " + deleted), "the restore is logged");
        }
    }

    /** A block by a stranger after {@code parent}, correctly hashed but with another block's signature. */
    private static Block forgedChildOf(HttpJson node, String parent) throws Exception {
        String group = node.get("/api/node").json().getString("groupId");
        long height = -1;
        for (JsonValue v : node.get("/api/ledger/blocks?limit=500").json().getJsonArray("blocks")) {
            if (v.asJsonObject().getString("hash").equals(parent)) {
                height = v.asJsonObject().getJsonNumber("height").longValue();
            }
        }
        assertTrue(height >= 0, "no exported block " + parent);
        BlockFactory stranger = new BlockFactory(NodeIdentity.generate());
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<OrderKey> parents = List.of(new OrderKey(at.toEpochMilli(), height, parent));
        Block real = stranger.write(group, parents, at, new Body.Message("00".repeat(Body.SALT_BYTES), "forged"));
        Block other = stranger.write(group, parents, at, new Body.Message("00".repeat(Body.SALT_BYTES), "something else"));
        return new Block(real.header(), real.body(), real.hash(), other.signature());
    }

    private static List<String> texts(HttpJson node) {
        return node.get("/api/messages?limit=500").json().getJsonArray("messages").stream()
                .map(m -> m.asJsonObject().getString("text")).toList();
    }

    /** Waits until a periodic validation newer than the last reported one has run. */
    private static void awaitNextValidation(HttpJson node, long withinMillis) throws InterruptedException {
        String before = node.get("/api/ledger").json().getString("lastValidated");
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < withinMillis) {
            if (!node.get("/api/ledger").json().getString("lastValidated").equals(before)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no validation after " + before + " within " + withinMillis + " ms");
    }

    /** Waits, without asking for a validation, until one that ran after {@code since} found the ledger valid. */
    private static long awaitValid(HttpJson node, Instant since, long withinMillis) throws InterruptedException {
        long start = System.currentTimeMillis();
        JsonObject status = null;
        while (System.currentTimeMillis() - start < withinMillis) {
            status = node.get("/api/ledger").json();
            if (status.getBoolean("valid") && Instant.parse(status.getString("lastValidated")).isAfter(since)) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not valid again within " + withinMillis + " ms: " + status);
    }
}
