package net.ledgerchat.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Chat-like message texts of 40 to 120 bytes of UTF-8, reproducible from a seed; not thread-safe. */
final class MessageText {
    static final int MIN_BYTES = 40;
    static final int MAX_BYTES = 120;
    private static final String[] WORDS = {
        "hey", "hi", "all", "the", "build", "is", "green", "again", "anyone", "seen", "my", "charger", "lunch", "at",
        "noon", "?", "meeting", "moved", "to", "3pm", "please", "review", "pull", "request", "thanks", "ok", "sounds",
        "good", "deploy", "tonight", "after", "tests", "pass", "coffee", "machine", "broken", "again!", "who", "has",
        "keys", "for", "room", "4", "running", "late", "traffic", "see", "you", "soon", "ledger", "synced", "with",
        "node", "b", "looks", "fine", "here", "I'll", "check", "logs", "tomorrow", "morning", "weekend", "plans",
        "pizza", "or", "sushi", "vote", "now", "café", "déjà", "vu", "naïve", "question", "about", "the", "schema",
        "🙂", "👍", "🎉", "merci", "danke", "gracias", "release", "notes", "are", "up", "on", "wiki", "can", "someone",
        "restart", "server", "done", "✔", "brb", "lol", "agreed", "let's", "ship", "it", "Friday", "demo", "went", "well"
    };
    private static final String[] NAMES = {"@alice", "@bob", "@carol", "@dave", "@erin", "@frank", "@grace"};
    private final SplittableRandom random;

    MessageText(long seed) {
        random = new SplittableRandom(seed);
    }

    String next() {
        int target = MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES - 10);
        StringBuilder text = new StringBuilder(MAX_BYTES);
        int bytes = 0;
        if (random.nextInt(5) == 0) {
            String name = NAMES[random.nextInt(NAMES.length)];
            text.append(name);
            bytes = name.length();
        }
        while (bytes < target) {
            String word = WORDS[random.nextInt(WORDS.length)];
            int wordBytes = word.getBytes(StandardCharsets.UTF_8).length + (text.length() == 0 ? 0 : 1);
            if (bytes + wordBytes > MAX_BYTES - 10) {
                break;
            }
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(word);
            bytes += wordBytes;
        }
        while (bytes < MIN_BYTES) {
            text.append(" ok");
            bytes += 3;
        }
        return text.toString();
    }

    /** A text with a unique tail, so no two sends of one run look alike; still at most 120 bytes. */
    String next(long serial) {
        String base = next();
        String tail = " #" + serial;
        int room = MAX_BYTES - tail.length();
        while (base.getBytes(StandardCharsets.UTF_8).length > room) {
            base = base.substring(0, base.lastIndexOf(' ') > 0 ? base.lastIndexOf(' ') : base.length() - 1);
        }
        return base + tail;
    }
}
