package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.OrderKey;

/**
 * Writes the widest block the columns allow (64 parents: a 4,159-character {@code parents}; a
 * {@link Tables#TEXT_LENGTH}-character text full of non-ASCII, emoji included) as a ledger row and a
 * message row, then reads both back through a fresh EntityManager (the unit has no shared cache, so
 * the values come from the database) and checks they are what was written.
 */
final class UnicodeRoundTrip {
    /** Devanagari, an emoji outside the BMP (two UTF-16 units), CJK, accented Latin, plain ASCII. */
    private static final String PHRASE = "नमस्ते दुनिया 😀 你好 héllo ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private UnicodeRoundTrip() {
    }

    static void run(EntityManagerFactory factory) {
        Block block = widestBlock();
        OrderKey key = OrderKey.of(block, 0);
        EntityManager writer = factory.createEntityManager();
        try {
            writer.getTransaction().begin();
            writer.persist(new LedgerRow(block, key, hex(32)));
            writer.persist(new MessageRow(block, key));
            writer.getTransaction().commit();
        } finally {
            writer.close();
        }
        EntityManager reader = factory.createEntityManager();
        try {
            // By primary key, as bytes: the stored form of hash and sort key.
            LedgerRow ledger = reader.find(LedgerRow.class, Tables.hashBytes(block.hash()));
            MessageRow message = reader.find(MessageRow.class, key.sortKeyBytes());
            assertNotNull(ledger, "ledger row");
            assertNotNull(message, "message row");
            assertEquals(block, ledger.toBlock());
            String read = message.toMessage().text();
            // Where they first differ, not the 262,144 characters: a database that lost the Unicode shows '?' there.
            assertEquals(-1, Arrays.mismatch(block.message().toCharArray(), read.toCharArray()),
                    "first differing UTF-16 index of the text read back (" + read.length() + " long)");
        } finally {
            reader.close();
        }
    }

    static Block widestBlock() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            parents.add(hex(32));
        }
        return new Block(parents, 1, hex(32), "Sender ✓ राम 😀", Instant.ofEpochMilli(1_700_000_000_000L),
                text(Tables.TEXT_LENGTH), hex(32), hex(64));
    }

    /** Exactly {@code length} UTF-16 units (the unit a column length counts), no split surrogate pair. */
    static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() + PHRASE.length() <= length) {
            text.append(PHRASE);
        }
        while (text.length() < length) {
            text.append('.');
        }
        return text.toString();
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
