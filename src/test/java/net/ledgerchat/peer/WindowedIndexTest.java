package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;

/** The sync walk's read-ahead: the same answers as one lookup per block, with far fewer queries. */
class WindowedIndexTest {

    /** A ledger table in memory that counts the queries and rows a database would serve. */
    private static final class Table implements WindowedIndex.Source {
        final TreeMap<OrderKey, String> bySortKey = new TreeMap<>();
        final SyncPlannerTest.Dag dag;
        int queries;

        Table(SyncPlannerTest.Dag dag) {
            this.dag = dag;
            dag.blocks.forEach((hash, entry) -> bySortKey.put(entry.key(), hash));
        }

        @Override
        public Optional<BlockIndex.Entry> find(String hash) {
            queries++;
            return Optional.ofNullable(dag.blocks.get(hash));
        }

        @Override
        public List<Map.Entry<String, BlockIndex.Entry>> before(OrderKey key, int limit) {
            queries++;
            List<Map.Entry<String, BlockIndex.Entry>> rows = new ArrayList<>();
            for (String hash : bySortKey.headMap(key, false).descendingMap().values()) {
                if (rows.size() == limit) {
                    break;
                }
                rows.add(Map.entry(hash, dag.blocks.get(hash)));
            }
            return rows;
        }
    }

    @Test
    void plansExactlyWhatOneLookupPerBlockPlans() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            SyncPlannerTest.Dag dag = SyncPlannerTest.Dag.random(random, 50 + random.nextInt(400));
            Set<String> theirs = new HashSet<>();
            for (String h : dag.order.subList(0, random.nextInt(dag.order.size() + 1))) {
                if (random.nextInt(10) > 0) {
                    theirs.addAll(dag.ancestorsOf(h));
                }
            }
            List<String> heads = dag.heads(new HashSet<>(dag.order));
            List<String> plain = new SyncPlanner(dag.blocks::get).missing(heads, dag.heads(theirs));
            List<String> windowed = new SyncPlanner(new WindowedIndex(new Table(dag))).missing(heads, dag.heads(theirs));
            assertEquals(plain, windowed, "seed " + seed);
        }
    }

    @Test
    void catchingUpEverythingTakesAQueryPerThousandBlocks() {
        SyncPlannerTest.Dag dag = SyncPlannerTest.Dag.random(new Random(4), 20_000);
        Table table = new Table(dag);
        WindowedIndex index = new WindowedIndex(table);
        List<String> all = new SyncPlanner(index).missing(dag.heads(new HashSet<>(dag.order)), List.of());

        assertEquals(dag.order.size(), all.size());
        assertTrue(table.queries <= 20_000 / WindowedIndex.MAX_WINDOW * 2 + 40, table.queries + " queries");
        assertTrue(index.rowsRead() <= 20_000 + 2L * WindowedIndex.MAX_WINDOW, index.rowsRead() + " rows");
    }

    @Test
    void aRequesterThatIsUpToDateCostsAFewRowsPerHashItNames() {
        SyncPlannerTest.Dag dag = SyncPlannerTest.Dag.random(new Random(5), 20_000);
        List<String> heads = dag.heads(new HashSet<>(dag.order));
        List<String> theirs = new ArrayList<>(heads);
        for (int i = 1; i < dag.order.size(); i *= 2) {
            theirs.add(dag.order.get(dag.order.size() - i));
        }
        Table table = new Table(dag);
        WindowedIndex index = new WindowedIndex(table);

        assertTrue(new SyncPlanner(index).missing(heads, theirs).isEmpty());
        assertTrue(index.rowsRead() <= (long) theirs.size() * (1 + WindowedIndex.MIN_WINDOW) + 64,
                index.rowsRead() + " rows for " + theirs.size() + " hashes named");
    }
}
