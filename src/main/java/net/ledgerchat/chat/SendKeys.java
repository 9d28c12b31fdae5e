package net.ledgerchat.chat;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Idempotency keys of this node's recent sends. A client that lost its connection before hearing
 * "stored" sends again with the same key, and gets the message the first send stored instead of a
 * second copy; a send still running makes the repeat wait for it. The newest {@link #CAPACITY} keys are
 * kept; each is stored with its message row too, and a restarted node recalls those among the newest
 * {@link #RECALL_SCAN} messages. A repeat after that many other keyed sends stores the text again.
 */
final class SendKeys {
    /** One person's recent sends, many times over; each entry may hold a text of MAX_MESSAGE_BYTES, twice. */
    static final int CAPACITY = 1_000;
    /** How far back a restarted node looks for its keyed sends: a repeat comes seconds after its first try. */
    static final int RECALL_SCAN = 10 * CAPACITY;
    /** Long enough for a random 128-bit key in hex or base64url, short enough to bound the memory. */
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    /** A send that may be refused with a reason for the person who sent it. */
    @FunctionalInterface
    interface Send {
        ChatMessage run() throws RequestRefusedException;
    }

    private record Entry(String key, String text, CompletableFuture<ChatMessage> stored) {
    }

    private final int capacity;
    private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
    /** Oldest first; an entry leaves the map only if it is still the one this names. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();

    SendKeys() {
        this(CAPACITY);
    }

    SendKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    private static void check(String key) throws RequestRefusedException {
        if (!FORM.matcher(key).matches()) {
            throw new RequestRefusedException("key must be 8 to 64 letters, digits, '-' or '_'");
        }
    }

    /** Runs {@code send} unless {@code key} already stored (or is storing) {@code text}; the stored message either way. */
    ChatMessage sendOnce(String key, String text, Send send) throws RequestRefusedException {
        check(key);
        Entry mine = new Entry(key, text, new CompletableFuture<>());
        Entry first = byKey.putIfAbsent(key, mine);
        if (first != null) {
            if (!first.text().equals(text)) {
                throw new RequestRefusedException("key " + key + " was already used for another message");
            }
            return awaitFirst(first);
        }
        remember(mine);
        try {
            ChatMessage stored = send.run();
            mine.stored().complete(stored);
            return stored;
        } catch (RequestRefusedException | RuntimeException e) {
            // Nothing was stored: a later send with this key is a new attempt, not a repeat.
            byKey.remove(key, mine);
            mine.stored().completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Remembers a send stored before this node started: a repeat returns {@code stored}. Call oldest first. A key
     * not of the accepted form (a row edited behind the node's back) is skipped: no send could match it.
     */
    void recall(String key, ChatMessage stored) {
        if (!FORM.matcher(key).matches()) {
            return;
        }
        Entry entry = new Entry(key, stored.text(), CompletableFuture.completedFuture(stored));
        if (byKey.putIfAbsent(key, entry) == null) {
            remember(entry);
        }
    }

    int size() {
        return byKey.size();
    }

    private void remember(Entry entry) {
        synchronized (order) {
            order.addLast(entry);
            while (order.size() > capacity) {
                Entry oldest = order.removeFirst();
                byKey.remove(oldest.key(), oldest);
            }
        }
    }

    private static ChatMessage awaitFirst(Entry first) throws RequestRefusedException {
        try {
            return first.stored().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RequestRefusedException refused) {
                throw new RequestRefusedException(refused.getMessage());
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
