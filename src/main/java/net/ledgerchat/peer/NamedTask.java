package net.ledgerchat.peer;

/**
 * A long-running task that names the pooled thread it runs on while it runs ("peer-read /10.0.0.2:5001"), so
 * thread dumps, profiles and logs say what the thread does, and gives the pool its thread back under the old name.
 */
public final class NamedTask {
    private NamedTask() {
    }

    public static Runnable named(String name, Runnable task) {
        return () -> {
            Thread thread = Thread.currentThread();
            String pooled = thread.getName();
            thread.setName(name);
            try {
                task.run();
            } finally {
                thread.setName(pooled);
            }
        };
    }
}
