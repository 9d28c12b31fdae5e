package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.store.BlockPlace;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.LedgerRepository.SealedDigest;
import net.ledgerchat.store.ShowRule;
import net.ledgerchat.store.Shown;

/**
 * The database of a simulated node: what {@link GroupCommit} does to the tables (blocks, their order keys, which
 * are parents, the digest of the set, the heads), in maps. Committed groups survive a crash; rows can be lost
 * behind the writer's back.
 */
final class MemoryStore implements Committer.Store, Committed {
    final Map<String, Block> blocks = new HashMap<>();
    /** The membership context stored beside each block, as {@code LedgerRow.context}. */
    private final Map<String, List<String>> contexts = new HashMap<>();
    /** How each stored message is shown, as the {@code messages} rows hold it. */
    final Map<String, Shown> shown = new HashMap<>();
    final Map<String, OrderKey> keys = new HashMap<>();
    final TreeMap<OrderKey, Block> ordered = new TreeMap<>();
    private final Map<String, Boolean> named = new HashMap<>();
    /** Heads deleted behind the node's back; kept across restarts, as the sealed head set is. */
    private final Set<String> lostHeads = new HashSet<>();
    private SetDigest digest = SetDigest.EMPTY;

    @Override
    public GroupCommit.Opened open() {
        lostHeads.removeIf(blocks::containsKey);
        return new GroupCommit.Opened(new LedgerState(heads(), new SealedDigest(digest, "memory")), List.copyOf(lostHeads));
    }

    @Override
    public LedgerState commit(LedgerState before, List<Slot> group) {
        LedgerState.Advanced advanced = before.advancedBy(group);
        digest = advanced.digest();
        for (Slot slot : group) {
            Block block = slot.block();
            blocks.put(block.hash(), block);
            keys.put(block.hash(), slot.key);
            ordered.put(slot.key, block);
            named.putIfAbsent(block.hash(), false);
            block.parents().forEach(p -> named.put(p, true));
            contexts.put(block.hash(), slot.context());
            if (slot.shown() != null) {
                shown.put(block.hash(), slot.shown());
            }
        }
        return new LedgerState(advanced.heads(), new SealedDigest(digest, "memory"));
    }

    @Override
    public List<LedgerRepository.MembershipRow> membershipBlocks() {
        return ordered.values().stream().filter(b -> b.kind().isMembership())
                .map(b -> new LedgerRepository.MembershipRow(b, contexts.get(b.hash()))).toList();
    }

    @Override
    public void reshow(Set<String> authors, ShowRule rule) {
        for (Block block : ordered.values()) {
            if (block.kind() == Kind.MESSAGE && authors.contains(block.author())) {
                shown.put(block.hash(), rule.shownOf(block, contexts.get(block.hash())));
            }
        }
    }

    /** The messages that count, in ledger order: what the node's page shows. */
    List<Block> shownMessages() {
        return ordered.values().stream().filter(b -> b.kind() == Kind.MESSAGE && shown.get(b.hash()).counts()).toList();
    }

    /** Rows deleted behind the writer's back. */
    void lose(Collection<String> hashes) {
        Set<String> headsBefore = new HashSet<>(heads().stream().map(OrderKey::hash).toList());
        for (String hash : hashes) {
            blocks.remove(hash);
            ordered.remove(keys.remove(hash));
            contexts.remove(hash);
            shown.remove(hash);
            if (headsBefore.contains(hash)) {
                lostHeads.add(hash);
            }
        }
    }

    /** What a validation finds missing: every block a stored block names, and every lost head. */
    Set<String> missing() {
        Set<String> missing = new HashSet<>();
        for (Block block : blocks.values()) {
            block.parents().stream().filter(p -> !blocks.containsKey(p)).forEach(missing::add);
        }
        lostHeads.stream().filter(h -> !blocks.containsKey(h)).forEach(missing::add);
        return missing;
    }

    List<OrderKey> heads() {
        List<OrderKey> heads = new ArrayList<>();
        named.forEach((hash, isParent) -> {
            if (!isParent && keys.containsKey(hash)) {
                heads.add(keys.get(hash));
            }
        });
        heads.sort(null);
        return heads;
    }

    @Override
    public boolean contains(String hash) {
        return blocks.containsKey(hash);
    }

    @Override
    public Map<String, BlockPlace> placesOf(Collection<String> hashes) {
        Map<String, BlockPlace> found = new HashMap<>();
        for (String hash : hashes) {
            Block block = blocks.get(hash);
            if (block != null) {
                // As the repository answers: a membership block is the latest membership block in its children's past.
                found.put(hash, new BlockPlace(keys.get(hash), block.kind().isMembership() ? List.of(hash) : contexts.get(hash)));
            }
        }
        return found;
    }

    @Override
    public Ancestry.Links links(String hash) {
        Block block = blocks.get(hash);
        return block == null ? null : new Ancestry.Links(block.height(), block.parents());
    }

    @Override
    public boolean named(String hash) {
        return named.getOrDefault(hash, false);
    }
}
