package net.ledgerchat.peer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Answers "here is what I have, send me what I lack" by walking back from this node's heads, highest
 * first, and stopping where the requester's history begins: a block the requester names, and every
 * ancestor of one, is common (it holds a block only with all its ancestors). The walk paints blocks
 * reached from a common block as common and ends as soon as nothing but common blocks is left to
 * visit, so its cost grows with what the requester lacks (plus the common blocks down to the same
 * height), never with the ledger's size. This is git's negotiation, and Matrix's
 * {@code get_missing_events}, on a DAG ordered by height: a child is always higher than its parents,
 * so by the time a block is visited every child that could paint it common has been.
 */
public final class SyncPlanner {
    private final BlockIndex index;
    private long lookups;

    public SyncPlanner(BlockIndex index) {
        this.index = index;
    }


    private record Visit(BlockIndex.Entry entry, String hash) {
    }

    /**
     * What the requester lacks, parents before children (ledger order). {@code myHeads}: this node's
     * heads. {@code theirs}: hashes the requester holds (its heads, and a sample of older ones so a
     * common point is found even when its heads are unknown here). The whole answer is planned by one
     * walk and then sent in batches: planning again per batch would make catching up quadratic.
     */
    public List<String> missing(Collection<String> myHeads, Collection<String> theirs) {
        Map<String, Boolean> common = new HashMap<>();
        PriorityQueue<Visit> queue = new PriorityQueue<>(Comparator.comparingLong((Visit v) -> v.entry().key().height())
                .reversed().thenComparing(Visit::hash));
        Map<String, BlockIndex.Entry> queued = new HashMap<>();
        int candidates = 0;
        for (String hash : theirs) {
            candidates += offer(hash, true, common, queue, queued);
        }
        for (String hash : myHeads) {
            candidates += offer(hash, false, common, queue, queued);
        }
        List<Visit> missing = new ArrayList<>();
        while (candidates > 0 && !queue.isEmpty()) {
            Visit visit = queue.poll();
            boolean isCommon = common.get(visit.hash());
            if (!isCommon) {
                candidates--;
                missing.add(visit);
            }
            for (String parent : visit.entry().parents()) {
                candidates += offer(parent, isCommon, common, queue, queued);
            }
        }
        missing.sort(Comparator.comparing((Visit v) -> v.entry().key()));
        return missing.stream().map(Visit::hash).toList();
    }

    /** Queues a block (once), painting it common if asked; returns the change in unvisited candidates. */
    private int offer(String hash, boolean paintCommon, Map<String, Boolean> common, PriorityQueue<Visit> queue,
                      Map<String, BlockIndex.Entry> queued) {
        Boolean known = common.get(hash);
        if (known != null) {
            if (paintCommon && !known && queued.containsKey(hash)) {
                common.put(hash, true);
                return -1;
            }
            return 0;
        }
        lookups++;
        BlockIndex.Entry entry = index.find(hash);
        if (entry == null) {
            // Not stored here: one of their blocks this node lacks, or one of ours that was lost.
            common.put(hash, true);
            return 0;
        }
        common.put(hash, paintCommon);
        queued.put(hash, entry);
        queue.add(new Visit(entry, hash));
        return paintCommon ? 0 : 1;
    }

    /** Blocks looked up so far: the rows a database-backed index read. */
    public long lookups() {
        return lookups;
    }
}
