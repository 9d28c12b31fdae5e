package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the membership reads back from a real H2 file written through the real unit (DESIGN section 7): the
 * membership blocks parents first with the context stored with each, the place a child is put by (a membership
 * block is the latest one in its children's past; a message passes its own context on), an author's messages with
 * their contexts, and the genesis. The ledger is linear in its founding, so the contexts are known without the
 * membership: the genesis has none, each later block the membership block before it.
 */
class MembershipQueriesTest {
    private static final int BLOCKS = 80;

    @TempDir
    static Path dir;
    private static TestLedger ledger;
    private static Block genesis;
    private static Block invite;
    private static Block admit;

    @BeforeAll
    static void write() {
        ledger = TestLedger.write("membership-queries", NodeIdentity.generate(), dir, BLOCKS, 13);
        genesis = ledger.written.get(ledger.hashes.get(0)).block();
        invite = ledger.written.get(ledger.hashes.get(1)).block();
        admit = ledger.written.get(ledger.hashes.get(2)).block();
        assertEquals(List.of(Kind.GENESIS, Kind.INVITE, Kind.ADMIT), List.of(genesis.kind(), invite.kind(), admit.kind()));
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void theMembershipBlocksComeBackParentsFirstWithTheContextsStoredWithThem() {
        List<LedgerRepository.MembershipRow> rows = read(LedgerRepository::membershipBlocks);
        assertEquals(List.of(genesis, invite, admit), rows.stream().map(LedgerRepository.MembershipRow::block).toList());
        assertEquals(List.of(List.of(), List.of(genesis.hash()), List.of(invite.hash())),
                rows.stream().map(LedgerRepository.MembershipRow::context).toList());
        assertEquals(Optional.of(genesis), read(LedgerRepository::genesis));
    }

    @Test
    void aChildIsPlacedByItsParentsKeyAndTheContextItInherits() {
        Map<String, BlockPlace> expected = new HashMap<>();
        for (String hash : ledger.hashes) {
            LedgerRepository.Append written = ledger.written.get(hash);
            expected.put(hash, new BlockPlace(written.key(),
                    written.block().kind().isMembership() ? List.of(hash) : List.of(admit.hash())));
        }
        assertEquals(expected, read(r -> r.placesOf(askedFor())));
    }

    @Test
    void anAuthorsMessagesComeWithTheirContexts() {
        for (NodeIdentity author : List.of(ledger.node, ledger.peer)) {
            Map<String, List<String>> expected = new HashMap<>();
            for (String hash : ledger.messages) {
                Block block = ledger.written.get(hash).block();
                if (block.author().equals(author.publicKey())) {
                    expected.put(hash, List.of(admit.hash()));
                }
            }
            Map<String, List<String>> found = new HashMap<>();
            for (LedgerRepository.MessageOf message : read(r -> r.messagesBy(author.publicKey()))) {
                assertEquals(ledger.written.get(message.block().hash()).block(), message.block());
                found.put(message.block().hash(), message.context());
            }
            assertEquals(expected, found, "messages by " + author.publicKey());
        }
    }

    @Test
    void theOrderKeysOfStoredBlocksOnly() {
        Map<String, OrderKey> expected = new HashMap<>();
        ledger.hashes.forEach(h -> expected.put(h, ledger.written.get(h).key()));
        assertEquals(expected, read(r -> r.keysOf(askedFor())));
    }

    /** Every block written, then a hash nothing stores and a string that is no hash: both left out of answers. */
    private static List<String> askedFor() {
        List<String> asked = new ArrayList<>(ledger.hashes);
        asked.add("0".repeat(64));
        asked.add("not a hash");
        return asked;
    }

    private static <T> T read(Function<LedgerRepository, T> work) {
        EntityManager em = ledger.factory.createEntityManager();
        try {
            return work.apply(new LedgerRepository(em));
        } finally {
            em.close();
        }
    }
}
