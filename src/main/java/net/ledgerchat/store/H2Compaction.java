package net.ledgerchat.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * One housekeeping pass over the node's H2 file, through H2's own MVStore API. The node runs H2 with
 * WRITE_DELAY=0 so that a commit is in the file before the sender hears "stored"; H2 then runs no background
 * thread, and its housekeeping (rewriting chunks that hold only a few live pages, moving chunks to shrink the
 * file) runs nowhere: every commit writes a new chunk and the file grew by about 55 KB per commit for good
 * (3,000 sends left 163 MB). This pass does what that thread would, in small steps:
 * <ul>
 * <li>when something was committed since the last pass, force the file to disk: H2 overwrites a dead chunk
 * {@link net.ledgerchat.config.Database.H2#RETENTION_MILLIS} after writing it, trusting that the chunks written
 * since are on disk by then (otherwise a power cut could leave the file pointing into overwritten pages);
 * <li>while chunks hold little live data, rewrite at most {@link #REWRITE_BYTES} of the oldest sparse ones
 * ({@link #IDLE_REWRITE_BYTES} when nothing was committed since the last pass) and commit them, so their space is
 * freed and reused (H2 takes its store lock for it, briefly, and only chunks past its retention time are touched);
 * <li>once nothing was committed since the last pass and a fifth of the file or more is free, move up to
 * {@link #MOVE_BYTES} of chunks towards its start and truncate it.
 * </ul>
 * H2 classes are touched only here and only on H2, so the same WAR runs on a server without them.
 */
final class H2Compaction {
    /** Below this share of live data in the chunks, sparse chunks are rewritten. */
    static final int TARGET_CHUNKS_FILL = 80;
    /** Below this share of the file in use (the rest free), an idle store is compacted. */
    static final int SHRINK_BELOW_FILE_FILL = 80;
    static final int REWRITE_BYTES = 1 << 20;
    static final int IDLE_REWRITE_BYTES = 16 << 20;
    /** Chunk bytes moved towards the start of the file per idle pass. */
    static final long MOVE_BYTES = 16L << 20;

    private H2Compaction() {
    }

    /** The store's state after a pass, and what the pass did. */
    record Pass(long version, long fileBytesBefore, long fileBytes, int chunksFill, Optional<Duration> synced) {
        boolean shrank() {
            return fileBytes < fileBytesBefore;
        }
    }

    /**
     * Opens an embedded session on the node's database (H2 shares the open database within the JVM; the
     * application server's pooled connections are wrappers that do not expose it), runs one pass and closes it.
     * {@code idleSince} is the store version seen by the previous pass: unchanged means nothing was committed since.
     */
    static Optional<Pass> run(String url, String user, String password, long idleSince) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        // IFEXISTS: a pass must never create a database, whatever happened to the file.
        try (Connection connection = new org.h2.Driver().connect(url + ";IFEXISTS=TRUE", credentials)) {
            if (!(connection instanceof JdbcConnection h2) || !(h2.getSession() instanceof SessionLocal session)) {
                // Another process owns the file and serves it (AUTO_SERVER): its own node keeps it.
                return Optional.empty();
            }
            return Optional.of(pass(session.getDatabase().getStore().getMvStore(), idleSince));
        }
    }

    private static Pass pass(MVStore store, long idleSince) {
        FileStore<?> file = store.getFileStore();
        long before = file.size();
        boolean idle = store.getCurrentVersion() == idleSince;
        Optional<Duration> synced = Optional.empty();
        if (!idle) {
            long started = System.nanoTime();
            store.sync();
            synced = Optional.of(Duration.ofNanos(System.nanoTime() - started));
        }
        // Idle, nothing competes for the store lock: a file left sparse by a catch-up or an import is cleaned faster.
        boolean rewrote = store.compact(TARGET_CHUNKS_FILL, idle ? IDLE_REWRITE_BYTES : REWRITE_BYTES);
        if (rewrote) {
            // Rewritten pages are only in memory until a commit writes them, and their old chunks are freed only then:
            // written here, not by the next send's commit (which would carry them), nor never on an idle node.
            store.commit();
        }
        if (idle && file instanceof RandomAccessStore chunks) {
            // Takes the store lock, forces the file before it overwrites a chunk or truncates, and does nothing while
            // the file's free space is below the threshold.
            chunks.compactMoveChunks(SHRINK_BELOW_FILE_FILL, MOVE_BYTES, store);
        }
        return new Pass(store.getCurrentVersion(), before, file.size(), file.getChunksFillRate(), synced);
    }
}
