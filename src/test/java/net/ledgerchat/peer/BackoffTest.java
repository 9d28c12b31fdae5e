package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    /** Jitter pinned to the middle of its range, so the plain schedule shows. */
    private static final Random MIDDLE = new Random() {
        @Override
        public double nextDouble() {
            return 0.5;
        }
    };

    @Test
    void doublesForOneRoundThenKeepsTryingAtTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(3), 5);
        long[] seconds = new long[9];
        for (int attempt = 1; attempt <= 9; attempt++) {
            seconds[attempt - 1] = backoff.after(attempt, MIDDLE).toSeconds();
        }
        assertEquals("[3, 6, 12, 24, 48, 48, 48, 48, 48]", java.util.Arrays.toString(seconds));
        assertEquals(Duration.ofSeconds(48), backoff.after(1_000_000, MIDDLE), "an hour later it still tries");
    }

    @Test
    void theCapNeverExceedsFiveMinutesAndNothingOverflows() {
        Backoff backoff = new Backoff(Duration.ofSeconds(3_600), 100);
        assertEquals(Backoff.LONGEST, backoff.cap());
        assertEquals(Backoff.LONGEST, backoff.after(Integer.MAX_VALUE, MIDDLE));
        assertEquals(Backoff.LONGEST, backoff.after(64, MIDDLE));
    }

    @Test
    void jitterStaysWithinAFifth() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), 3);
        Random random = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            long ms = backoff.after(1, random).toMillis();
            assertTrue(ms >= 8_000 && ms <= 12_000, ms + " ms");
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 3).after(0, MIDDLE));
    }
}
