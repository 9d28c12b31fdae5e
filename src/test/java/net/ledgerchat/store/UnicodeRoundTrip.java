package net.ledgerchat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;

/**
 * Writes the widest block the columns allow as a ledger row and a message row, then reads both back through a
 * fresh EntityManager (the unit has no shared cache, so the values come from the database) and checks they are
 * what was written: 64 parents (a 2,048-byte {@code parents}), a membership context of {@link Tables#MAX_CONTEXT}
 * blocks, and a message as long as MAX_MESSAGE_BYTES may ever be ({@link Tables#TEXT_LENGTH} bytes of UTF-8): once
 * full of non-ASCII, emoji included (the widest body), once plain ASCII (the most characters in {@code text}).
 */
final class UnicodeRoundTrip {
    /** Devanagari, an emoji outside the BMP (two UTF-16 units, four bytes), CJK, accented Latin, plain ASCII. */
    private static final String PHRASE = "नमस्ते दुनिया 😀 你好 héllo ";
    private static final String SENDER = "Sender ✓ राम 😀";
    private static final SecureRandom RANDOM = new SecureRandom();

    private UnicodeRoundTrip() {
    }

    static void run(EntityManagerFactory factory) {
        for (String text : List.of(text(Tables.TEXT_LENGTH), ".".repeat(Tables.TEXT_LENGTH))) {
            roundTrip(factory, widestBlock(text), hashes(Tables.MAX_CONTEXT));
        }
    }

    private static void roundTrip(EntityManagerFactory factory, Block block, List<String> context) {
        OrderKey key = OrderKey.of(block, 0);
        EntityManager writer = factory.createEntityManager();
        try {
            writer.getTransaction().begin();
            writer.persist(new LedgerRow(block, key, hex(32), context));
            writer.persist(new MessageRow(block, key, new Shown(true, SENDER), hex(32), null));
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
            assertEquals(block, ledger.toBlock(Tables.STORED_LIMITS));
            assertEquals(context, ledger.context());
            StoredMessage read = message.toMessage();
            assertEquals(SENDER, read.sender());
            String written = block.body(Body.Message.class).text();
            // Where they first differ, not the 262,144 characters: a database that lost the Unicode shows '?' there.
            assertEquals(-1, Arrays.mismatch(written.toCharArray(), read.text().toCharArray()),
                    "first differing UTF-16 index of the text read back (" + read.text().length() + " long)");
        } finally {
            reader.close();
        }
    }

    /** A message with 64 parents and {@code text}; hashes, keys and signature random (the columns check shapes only). */
    static Block widestBlock(String text) {
        Body body = new Body.Message(hex(Body.SALT_BYTES), text);
        Header header = new Header(hex(32), hashes(Tables.MAX_STORED_PARENTS), 1, hex(32),
                Instant.ofEpochMilli(1_700_000_000_000L), Kind.MESSAGE, body.digest());
        return new Block(header, body, hex(32), hex(64));
    }

    /** Exactly {@code bytes} bytes of UTF-8, mostly non-ASCII, no split character. */
    static String text(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        int phrase = PHRASE.getBytes(StandardCharsets.UTF_8).length;
        int length = 0;
        while (length + phrase <= bytes) {
            text.append(PHRASE);
            length += phrase;
        }
        text.append(".".repeat(bytes - length));
        return text.toString();
    }

    private static List<String> hashes(int count) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hashes.add(hex(32));
        }
        return hashes;
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
