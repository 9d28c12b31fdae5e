package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A pooled thread carries a task's name while the task runs, and its own name again after, even after a failure. */
class NamedTaskTest {
    @Test
    void thePoolGetsItsThreadBackUnderItsOwnName() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "pool-thread"));
        try {
            AtomicReference<String> during = new AtomicReference<>();
            pool.submit(NamedTask.named("peer-read /10.0.0.2:5001", () -> during.set(Thread.currentThread().getName()))).get();
            assertEquals("peer-read /10.0.0.2:5001", during.get());
            assertEquals("pool-thread", pool.submit(() -> Thread.currentThread().getName()).get());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(
                    NamedTask.named("chat-push", () -> { throw new IllegalStateException("boom"); })).get());
            assertEquals("boom", failed.getCause().getMessage());
            assertEquals("pool-thread", pool.submit(() -> Thread.currentThread().getName()).get());
        } finally {
            pool.shutdownNow();
        }
    }
}
