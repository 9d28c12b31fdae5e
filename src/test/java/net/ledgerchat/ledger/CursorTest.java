package net.ledgerchat.ledger;

import static net.ledgerchat.ledger.TestBlocks.hashOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CursorTest {
    private static final OrderKey KEY = new OrderKey(1_700_000_000_123L, 42, hashOf("cursor"));

    private static String encodeRaw(int version, long orderTs, long height, byte[] hash) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + hash.length);
        b.put((byte) version).putLong(orderTs).putLong(height).put(hash);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static void assertInvalid(String cursor) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cursor.decode(cursor),
                String.valueOf(cursor));
        assertEquals("invalid cursor", e.getMessage());
    }

    @Test
    void roundTrip() {
        assertEquals(KEY, Cursor.decode(Cursor.encode(KEY)));
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            OrderKey k = new OrderKey(random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE,
                    TestBlocks.randomHash(random));
            String cursor = Cursor.encode(k);
            assertEquals(k, Cursor.decode(cursor), "seed 7 iteration " + i);
        }
        OrderKey extreme = new OrderKey(Long.MAX_VALUE, Long.MAX_VALUE, "ff".repeat(32));
        assertEquals(extreme, Cursor.decode(Cursor.encode(extreme)));
        OrderKey zero = new OrderKey(0, 0, "00".repeat(32));
        assertEquals(zero, Cursor.decode(Cursor.encode(zero)));
    }

    @Test
    void cursorIsUrlSafe() {
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            String c = Cursor.encode(new OrderKey(random.nextLong() & Long.MAX_VALUE, random.nextInt(1000),
                    TestBlocks.randomHash(random)));
            assertFalse(c.contains("+") || c.contains("/") || c.contains("="), c);
        }
    }

    @Test
    void nullAndEmptyAreInvalid() {
        assertInvalid(null);
        assertInvalid("");
    }

    @Test
    void garbageIsInvalid() {
        assertInvalid("not a cursor!");
        assertInvalid("%%%%");
        assertInvalid("====");
        assertInvalid(Cursor.encode(KEY).replace(Cursor.encode(KEY).charAt(5), '*'));
        assertInvalid("AAAA");
    }

    @Test
    void truncatedIsInvalid() {
        String c = Cursor.encode(KEY);
        assertInvalid(c.substring(0, c.length() - 1));
        assertInvalid(c.substring(0, c.length() - 4));
        assertInvalid(c.substring(0, 10));
    }

    @Test
    void tooLongIsInvalid() {
        String c = Cursor.encode(KEY);
        assertInvalid(c + "AAAA");
        assertInvalid(encodeRaw(1, 5, 5, new byte[33]));
        assertInvalid("A".repeat(129));
        assertInvalid("A".repeat(10_000));
        assertInvalid(c + c);
    }

    @Test
    void wrongVersionIsInvalid() {
        byte[] hash = Hex.decode(KEY.hash(), 32, "hash");
        assertEquals(KEY, Cursor.decode(encodeRaw(1, KEY.orderTs(), KEY.height(), hash)));
        for (int version : new int[] {0, 2, 0x7f, 0xff}) {
            assertInvalid(encodeRaw(version, KEY.orderTs(), KEY.height(), hash));
        }
    }

    @Test
    void negativeFieldsAreInvalid() {
        byte[] hash = Hex.decode(KEY.hash(), 32, "hash");
        assertInvalid(encodeRaw(1, -1, 5, hash));
        assertInvalid(encodeRaw(1, 5, Long.MIN_VALUE, hash));
    }

    @Test
    void standardBase64AlphabetIsRefusedWhenItDiffers() {
        List<String> withUrlChars = new ArrayList<>();
        Random random = new Random(3);
        while (withUrlChars.size() < 20) {
            String c = Cursor.encode(new OrderKey(random.nextInt(1_000_000), random.nextInt(100), TestBlocks.randomHash(random)));
            if (c.contains("-") || c.contains("_")) {
                withUrlChars.add(c);
            }
        }
        for (String c : withUrlChars) {
            assertInvalid(c.replace('-', '+').replace('_', '/'));
        }
    }
}
