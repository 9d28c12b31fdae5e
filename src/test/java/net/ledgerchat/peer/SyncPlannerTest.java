package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.Test;

/**
 * The sync walk over random DAGs (concurrent branches, merges) and random requesters: the answer is
 * exactly what the requester lacks, parents first, and the lookups it costs grow with that, not with
 * the ledger's size.
 */
class SyncPlannerTest {
    private static final int SEEDS = 300;

    /** A ledger in memory: blocks in insertion order (parents always first), with their keys and parents. */
    static final class Dag {
        final Map<String, BlockIndex.Entry> blocks = new LinkedHashMap<>();
        final List<String> order = new ArrayList<>();

        String add(List<String> parents, long ts) {
            long height = parents.stream().mapToLong(p -> blocks.get(p).key().height() + 1).max().orElse(0);
            long orderTs = Math.max(ts, parents.stream().mapToLong(p -> blocks.get(p).key().orderTs()).max().orElse(0));
            String hash = String.format("%064x", order.size() + 1);
            blocks.put(hash, new BlockIndex.Entry(new OrderKey(orderTs, height, hash), parents));
            order.add(hash);
            return hash;
        }

        /** Random growth: most blocks follow all tips; some follow one tip only, leaving branches to merge later. */
        static Dag random(Random random, int size) {
            Dag dag = new Dag();
            Set<String> tips = new HashSet<>();
            for (int i = 0; i < size; i++) {
                List<String> tipList = new ArrayList<>(tips);
                java.util.Collections.sort(tipList);
                List<String> parents = tipList.isEmpty() ? List.of()
                        : random.nextInt(4) == 0 ? List.of(tipList.get(random.nextInt(tipList.size()))) : tipList;
                String hash = dag.add(parents, 1_000 + i + random.nextInt(5));
                tips.removeAll(parents);
                tips.add(hash);
            }
            return dag;
        }

        Set<String> ancestorsOf(String hash) {
            Set<String> seen = new HashSet<>();
            List<String> stack = new ArrayList<>(List.of(hash));
            while (!stack.isEmpty()) {
                String h = stack.remove(stack.size() - 1);
                if (seen.add(h)) {
                    stack.addAll(blocks.get(h).parents());
                }
            }
            return seen;
        }

        List<String> heads(Set<String> subset) {
            Set<String> named = new HashSet<>();
            subset.forEach(h -> named.addAll(blocks.get(h).parents()));
            return subset.stream().filter(h -> !named.contains(h)).sorted().toList();
        }
    }

    @Test
    void answersExactlyWhatIsMissingParentsFirstAtACostThatGrowsWithIt() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            Dag dag = Dag.random(random, 50 + random.nextInt(400));
            // The requester holds an ancestor-closed part of the ledger: the history below some of its blocks.
            Set<String> theirs = new HashSet<>();
            int holds = random.nextInt(dag.order.size() + 1);
            for (String h : dag.order.subList(0, holds)) {
                if (random.nextInt(10) > 0 || theirs.isEmpty()) {
                    theirs.addAll(dag.ancestorsOf(h));
                }
            }
            Set<String> mine = new HashSet<>(dag.order);
            Map<String, Integer> reads = new HashMap<>();
            SyncPlanner planner = new SyncPlanner(hash -> {
                reads.merge(hash, 1, Integer::sum);
                return dag.blocks.get(hash);
            });
            List<String> answer = planner.missing(dag.heads(mine), dag.heads(theirs));

            Set<String> expected = new HashSet<>(mine);
            expected.removeAll(theirs);
            assertEquals(expected, new HashSet<>(answer), "seed " + seed + ": not exactly what is missing");
            assertEquals(expected.size(), answer.size(), "seed " + seed + ": a block planned twice");
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < answer.size(); i++) {
                position.put(answer.get(i), i);
            }
            for (String h : answer) {
                for (String parent : dag.blocks.get(h).parents()) {
                    assertTrue(!position.containsKey(parent) || position.get(parent) < position.get(h),
                            "seed " + seed + ": a child planned before its parent");
                }
            }
            assertTrue(reads.values().stream().allMatch(n -> n == 1), "seed " + seed + ": a block read twice");
            // Cost: the missing blocks, their parents, and the common frontier the walk paints down to the same
            // height; bounded here by a small multiple of the missing part plus the requester's heads.
            long bound = 4L * (expected.size() + 1) + dag.heads(theirs).size() + 8;
            assertTrue(planner.lookups() <= bound, "seed " + seed + ": " + planner.lookups()
                    + " lookups for " + expected.size() + " missing of " + dag.order.size());
        }
    }

    @Test
    void aRequesterThatIsUpToDateCostsAboutItsHeads() {
        Dag dag = Dag.random(new Random(1), 5_000);
        Set<String> all = new HashSet<>(dag.order);
        SyncPlanner planner = new SyncPlanner(dag.blocks::get);
        assertTrue(planner.missing(dag.heads(all), dag.heads(all)).isEmpty());
        assertTrue(planner.lookups() <= 2L * dag.heads(all).size(), planner.lookups() + " lookups");
    }

    @Test
    void aRequesterWithNothingGetsEverythingInLedgerOrder() {
        Dag dag = Dag.random(new Random(2), 1_000);
        List<String> answer = new SyncPlanner(dag.blocks::get).missing(dag.heads(new HashSet<>(dag.order)), List.of());
        List<String> sorted = new ArrayList<>(dag.order);
        sorted.sort(java.util.Comparator.comparing(h -> dag.blocks.get(h).key()));
        assertEquals(sorted, answer);
    }

    @Test
    void aRequesterAheadOfTheResponderNamesOlderBlocksSoTheOverlapStaysSmall() {
        Dag dag = Dag.random(new Random(3), 200);
        Set<String> mine = new HashSet<>(dag.order.subList(0, 150));
        Set<String> theirs = new HashSet<>(dag.order);
        SyncPlanner planner = new SyncPlanner(h -> mine.contains(h) ? dag.blocks.get(h) : null);
        // Heads alone: all unknown here, so nothing marks a common point and everything would be sent again.
        assertEquals(150, planner.missing(dag.heads(mine), dag.heads(theirs)).size());
        // With blocks 1, 2, 4, 8, ... back from its newest, in its own ledger order, a common point is found.
        List<String> theirOrder = new ArrayList<>(theirs);
        theirOrder.sort(java.util.Comparator.comparing(h -> dag.blocks.get(h).key()));
        List<String> probes = new ArrayList<>(dag.heads(theirs));
        for (int back = 1; back <= theirOrder.size(); back *= 2) {
            probes.add(theirOrder.get(theirOrder.size() - back));
        }
        List<String> answer = new SyncPlanner(h -> mine.contains(h) ? dag.blocks.get(h) : null)
                .missing(dag.heads(mine), probes);
        // Nothing is missing; what is sent again is bounded by the gap between two probes (64 here), not 150.
        assertTrue(answer.size() <= 64, answer.size() + " blocks sent again");
    }
}
