package net.ledgerchat.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ancestor walk against brute force on random DAGs, and what it costs: the blocks between the two heights. */
class AncestryTest {
    @Test
    void theWalkAgreesWithBruteForceOnRandomDags() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            Map<String, Ancestry.Links> blocks = new HashMap<>();
            Map<String, Set<String>> pasts = new HashMap<>();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String hash = "b" + i;
                List<String> parents = new ArrayList<>();
                long height = 0;
                Set<String> past = new HashSet<>();
                int count = hashes.isEmpty() ? 0 : 1 + random.nextInt(3);
                for (int p = 0; p < count; p++) {
                    // Mostly recent parents, sometimes old ones: long and short branches.
                    int back = random.nextInt(10) == 0 ? random.nextInt(hashes.size()) : random.nextInt(Math.min(8, hashes.size()));
                    String parent = hashes.get(hashes.size() - 1 - back);
                    if (!parents.contains(parent)) {
                        parents.add(parent);
                        height = Math.max(height, blocks.get(parent).height() + 1);
                        past.add(parent);
                        past.addAll(pasts.get(parent));
                    }
                }
                blocks.put(hash, new Ancestry.Links(height, parents));
                pasts.put(hash, past);
                hashes.add(hash);
            }
            Ancestry ancestry = new Ancestry(blocks::get);
            for (int q = 0; q < 300; q++) {
                String a = hashes.get(random.nextInt(hashes.size()));
                String d = hashes.get(random.nextInt(hashes.size()));
                assertEquals(pasts.get(d).contains(a), ancestry.isAncestor(a, d), "seed " + seed + ": " + a + " before " + d);
            }
            String d = hashes.get(hashes.size() - 1 - random.nextInt(20));
            List<String> candidates = hashes.subList(0, 100);
            Set<String> expected = new HashSet<>(candidates);
            expected.retainAll(pasts.get(d));
            assertEquals(expected, ancestry.ancestorsAmong(candidates, d), "seed " + seed);
        }
    }

    @Test
    void theWalkNeverGoesBelowTheLowestBlockItLooksFor() {
        // A chain of 100,000 blocks: is block 99,990 before the head? Ten steps, not a hundred thousand.
        int length = 100_000;
        int[] lookups = new int[1];
        Ancestry ancestry = new Ancestry(hash -> {
            lookups[0]++;
            if (!hash.matches("b[0-9]+")) {
                return null;
            }
            int i = Integer.parseInt(hash.substring(1));
            return i < 0 || i >= length ? null : new Ancestry.Links(i, i == 0 ? List.of() : List.of("b" + (i - 1)));
        });
        assertEquals(true, ancestry.isAncestor("b99990", "b99999"));
        assertEquals(false, ancestry.isAncestor("b99999", "b99990"));
        lookups[0] = 0;
        ancestry.isAncestor("b99990", "b99999");
        assertEquals(true, lookups[0] <= 12, lookups[0] + " lookups");
        assertEquals(Set.of(), ancestry.ancestorsAmong(List.of("missing"), "b5"));
    }
}
