package net.ledgerchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendKeysTest {
    private final AtomicInteger stored = new AtomicInteger();

    private SendKeys.Send storing(String text) {
        return () -> {
            int n = stored.incrementAndGet();
            return new ChatMessage("id-" + n, "Ann", "key", Instant.EPOCH, text, true, "cursor-" + n);
        };
    }

    @Test
    void aRepeatedKeyReturnsTheFirstSendsMessageWithoutStoringAgain() throws Exception {
        SendKeys keys = new SendKeys();
        ChatMessage first = keys.sendOnce("k-00000001", "hello", storing("hello"));
        ChatMessage again = keys.sendOnce("k-00000001", "hello", storing("hello"));
        assertSame(first, again);
        assertEquals(1, stored.get());
        keys.sendOnce("k-00000002", "hello", storing("hello"));
        assertEquals(2, stored.get(), "another key is another message, even with the same text");
    }

    @Test
    void aRecalledSendAnswersItsRepeatAndRefusesAnotherText() throws Exception {
        SendKeys keys = new SendKeys();
        ChatMessage before = new ChatMessage("id-0", "Ann", "key", Instant.EPOCH, "hello", true, "cursor-0");
        keys.recall("k-00000001", before);
        keys.recall("not a key", before);
        assertEquals(1, keys.size(), "a malformed stored key is not recalled");
        assertSame(before, keys.sendOnce("k-00000001", "hello", storing("hello")));
        assertEquals(0, stored.get(), "the repeat of a send stored before a restart stores nothing");
        assertThrows(RequestRefusedException.class, () -> keys.sendOnce("k-00000001", "bye", storing("bye")));
    }

    @Test
    void recalledSendsCountAgainstTheCapacityOldestFirst() throws Exception {
        SendKeys keys = new SendKeys(2);
        for (int i = 1; i <= 3; i++) {
            keys.recall("k-0000000" + i, new ChatMessage("id-" + i, "Ann", "key", Instant.EPOCH, "m" + i, true, "c" + i));
        }
        assertEquals(2, keys.size());
        assertEquals("id-3", keys.sendOnce("k-00000003", "m3", storing("m3")).id());
        keys.sendOnce("k-00000001", "m1", storing("m1"));
        assertEquals(1, stored.get(), "the oldest recalled key was dropped, so its repeat stored again");
    }

    @Test
    void aKeyUsedForAnotherTextIsRefused() throws Exception {
        SendKeys keys = new SendKeys();
        keys.sendOnce("k-00000001", "hello", storing("hello"));
        RequestRefusedException e = assertThrows(RequestRefusedException.class,
                () -> keys.sendOnce("k-00000001", "goodbye", storing("goodbye")));
        assertTrue(e.getMessage().contains("another message"), e.getMessage());
        assertEquals(1, stored.get());
    }

    @Test
    void aRefusedSendLeavesTheKeyFreeForTheNextAttempt() throws Exception {
        SendKeys keys = new SendKeys();
        assertThrows(RequestRefusedException.class, () -> keys.sendOnce("k-00000001", "hello", () -> {
            throw new RequestRefusedException("the node is shutting down");
        }));
        assertThrows(IllegalStateException.class, () -> keys.sendOnce("k-00000001", "hello", () -> {
            throw new IllegalStateException("storage failed");
        }));
        assertEquals(0, keys.size());
        keys.sendOnce("k-00000001", "hello", storing("hello"));
        assertEquals(1, stored.get());
    }

    @Test
    void badKeysAreRefusedBeforeAnythingIsStored() {
        SendKeys keys = new SendKeys();
        for (String bad : List.of("", "short", "has space ok", "ümlaut-key", "x".repeat(65), "semi;colon")) {
            assertThrows(RequestRefusedException.class, () -> keys.sendOnce(bad, "hello", storing("hello")), bad);
        }
        assertEquals(0, stored.get());
        assertEquals(0, keys.size());
    }

    @Test
    void onlyTheNewestKeysAreKept() throws Exception {
        SendKeys keys = new SendKeys(2);
        keys.sendOnce("k-0000000a", "a", storing("a"));
        keys.sendOnce("k-0000000b", "b", storing("b"));
        keys.sendOnce("k-0000000c", "c", storing("c"));
        assertEquals(2, keys.size());
        keys.sendOnce("k-0000000c", "c", storing("c"));
        assertEquals(3, stored.get(), "the newest key is still known");
        keys.sendOnce("k-0000000a", "a", storing("a"));
        assertEquals(4, stored.get(), "the oldest key was forgotten");
        assertThrows(IllegalArgumentException.class, () -> new SendKeys(0));
    }

    @Test
    void concurrentRepeatsWaitForTheSendInProgressAndStoreOnce() throws Exception {
        SendKeys keys = new SendKeys();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SendKeys.Send slow = () -> {
            started.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return storing("hello").run();
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ChatMessage>> results = new ArrayList<>();
            results.add(pool.submit(() -> keys.sendOnce("k-00000001", "hello", slow)));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 7; i++) {
                results.add(pool.submit(() -> keys.sendOnce("k-00000001", "hello", storing("hello"))));
            }
            release.countDown();
            ChatMessage first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<ChatMessage> r : results) {
                assertSame(first, r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, stored.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
