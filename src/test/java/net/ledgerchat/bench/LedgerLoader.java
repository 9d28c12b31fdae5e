package net.ledgerchat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;

/**
 * Appends a linear chain of real blocks to a stopped node's H2 database with plain JDBC batches,
 * writing exactly what {@code LedgerRepository.append} writes per block: the ledger row (sealed
 * with the node's own key), its parent link, its message row, and at the end the sealed count and
 * digest of the whole set.
 *
 * <p>A block's hash names its parent's hash, so hashing is sequential (one producer thread, cheap);
 * the Ed25519 signatures are independent and are made on all cores; one writer thread inserts the
 * signed chunks in chain order. The first block of every load is also made by {@link BlockFactory}
 * and must come out identical (Ed25519 signatures are deterministic), so the loader cannot drift
 * from what the node itself would write.
 */
final class LedgerLoader {
    static final int CHUNK = 1_000;
    /** Blocks per millisecond of timestamp: a busy group, spread so no timestamp is far ahead of the clock. */
    private static final int BLOCKS_PER_MS = 10;
    private static final int MAX_PARENTS = 64;

    /** What a load did and how long each part took. */
    record Result(long before, long added, long after, double seconds, double signWaitSeconds, double dbSeconds,
                  long dbFileBytes) {
        double blocksPerSecond() {
            return added / seconds;
        }
    }

    private record Pending(List<String> parents, long height, long ts, String message, String hash, long orderTs) {
    }

    private record Signed(Pending p, String signature, String seal, byte[] sortKey) {
    }

    private LedgerLoader() {
    }

    /** The H2 page cache while loading (KB); the node's own size is put back afterwards. */
    private static final long LOAD_CACHE_KB = Math.max(64 * 1024, Math.min(1024 * 1024,
            Runtime.getRuntime().maxMemory() / 4 / 1024));
    /** H2 settings while loading (H2's default write delay, no retention), put back to the node's values afterwards. */
    private static final long LOAD_RETENTION_MS = 0;
    private static final long LOAD_WRITE_DELAY_MS = 500;

    /** The page cache size the database is opened with now, in KB. */
    static long cacheSizeKb(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            if (!rs.next()) {
                throw new IllegalStateException("H2 does not report its cache size");
            }
            return Long.parseLong(rs.getString(1).strip()) * 1024;
        }
    }

    private static long setting(Connection c, String name, long fallback) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Long.parseLong(rs.getString(1).strip()) : fallback;
            }
        }
    }

    /** A hash or seal as the binary layout stores it. */
    private static byte[] bytes(String hex) {
        return Hex.decode(hex, 32, "hash");
    }

    /** The parents column: the parents' 32-byte hashes concatenated, in the block's order. */
    private static byte[] parentBytes(List<String> parents) {
        byte[] joined = new byte[parents.size() * Block.HASH_BYTES];
        for (int i = 0; i < parents.size(); i++) {
            System.arraycopy(bytes(parents.get(i)), 0, joined, i * Block.HASH_BYTES, Block.HASH_BYTES);
        }
        return joined;
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String jdbcUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chat");
    }

    /** Appends blocks until the ledger holds {@code target} blocks (nothing if it already does). */
    static Result appendUntil(Path dataDir, NodeIdentity identity, String groupId, String sender, long target,
                              int threads) throws Exception {
        long t0 = System.nanoTime();
        long count;
        long toAdd;
        double[] split = {0, 0};
        try (Connection c = DriverManager.getConnection(jdbcUrl(dataDir), "chat", "chat")) {
            // SET CACHE_SIZE is stored in the database: the node must find its own cache size again afterwards.
            long nodeCacheKb = cacheSizeKb(c);
            long nodeRetention = setting(c, "RETENTION_TIME", 45_000);
            long nodeWriteDelay = setting(c, "WRITE_DELAY", 500);
            execute(c, "SET CACHE_SIZE " + LOAD_CACHE_KB);
            // Reuse space at once: with the default 45 s retention a fast bulk load leaves a file several times
            // larger than a node that wrote the same blocks over time would have.
            execute(c, "SET RETENTION_TIME " + LOAD_RETENTION_MS);
            // The node's URL stores WRITE_DELAY=0 in the database: every commit would write every page it touched.
            // A bulk load may write in the background; the final CHECKPOINT SYNC makes it durable.
            execute(c, "SET WRITE_DELAY " + LOAD_WRITE_DELAY_MS);
            c.setAutoCommit(false);
            Seal seal = identity.seal();
            count = count(c);
            SetDigest existing = readDigest(c, seal, count);
            List<OrderKey> heads = heads(c);
            toAdd = Math.max(0, target - count);
            if (toAdd > 0) {
                System.out.printf("  loading %s blocks after the %s stored (%d head(s)); signing on %d threads%n",
                        Report.num(toAdd), Report.num(count), heads.size(), threads);
                split = load(c, identity, seal, groupId, sender, heads, existing, toAdd, threads);
                long after = count(c);
                c.commit();
                if (after != count + toAdd) {
                    throw new IllegalStateException("expected " + (count + toAdd) + " blocks after the load, found " + after);
                }
            }
            c.setAutoCommit(true);
            execute(c, "SET CACHE_SIZE " + nodeCacheKb);
            execute(c, "SET RETENTION_TIME " + nodeRetention);
            execute(c, "SET WRITE_DELAY " + nodeWriteDelay);
        }
        // The last connection is closed, so H2 has closed the database file: the node may open it now.
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(count, toAdd, count + toAdd, toAdd == 0 ? 0 : seconds, split[0], split[1],
                Files.size(dataDir.resolve("chat.mv.db")));
    }

    private static double[] load(Connection c, NodeIdentity identity, Seal seal, String groupId, String sender,
                                 List<OrderKey> heads, SetDigest existing, long toAdd, int threads) throws Exception {
        String author = identity.publicKey();
        ExecutorService signers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-signer");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<List<Signed>>> queue = new ArrayBlockingQueue<>(threads * 4);
        byte[] xor = Hex.decode(existing.xor(), Block.HASH_BYTES, "digest");
        long chunks = (toAdd + CHUNK - 1) / CHUNK;
        Thread producer = new Thread(() -> {
            try {
                produce(groupId, identity, author, sender, heads, toAdd, xor, signers, queue);
            } catch (Throwable e) {
                CompletableFuture<List<Signed>> failed = new CompletableFuture<>();
                failed.completeExceptionally(e);
                try {
                    queue.put(failed);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "bench-chain-producer");
        producer.setDaemon(true);
        producer.start();

        double waitSeconds = 0;
        double dbSeconds = 0;
        long written = 0;
        long started = System.nanoTime();
        long nextReport = Math.max(CHUNK, toAdd / 10);
        String lastHash = null;
        byte[] authorBytes = Hex.decode(author, Block.KEY_BYTES, "author");
        try (PreparedStatement ledger = c.prepareStatement("INSERT INTO ledger (hash, parents, height, author, sender, ts,"
                + " message, signature, order_ts, sort_key, seal) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement links = c.prepareStatement("INSERT INTO ledger_parent (child_hash, parent_hash) VALUES (?,?)");
             PreparedStatement messages = c.prepareStatement("INSERT INTO messages (hash, sort_key, author, sender, ts, text)"
                     + " VALUES (?,?,?,?,?,?)")) {
            for (long chunk = 0; chunk < chunks; chunk++) {
                long w0 = System.nanoTime();
                List<Signed> rows;
                try {
                    rows = queue.take().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("signing failed: " + e.getCause(), e.getCause());
                }
                long w1 = System.nanoTime();
                waitSeconds += (w1 - w0) / 1e9;
                for (Signed s : rows) {
                    Pending p = s.p();
                    lastHash = p.hash();
                    ledger.setBytes(1, bytes(p.hash()));
                    ledger.setBytes(2, parentBytes(p.parents()));
                    ledger.setLong(3, p.height());
                    ledger.setBytes(4, authorBytes);
                    ledger.setString(5, sender);
                    ledger.setLong(6, p.ts());
                    ledger.setString(7, p.message());
                    ledger.setBytes(8, Hex.decode(s.signature(), Block.SIGNATURE_BYTES, "signature"));
                    ledger.setLong(9, p.orderTs());
                    ledger.setBytes(10, s.sortKey());
                    ledger.setBytes(11, bytes(s.seal()));
                    ledger.addBatch();
                    for (String parent : p.parents()) {
                        links.setBytes(1, bytes(p.hash()));
                        links.setBytes(2, bytes(parent));
                        links.addBatch();
                    }
                    messages.setBytes(1, bytes(p.hash()));
                    messages.setBytes(2, s.sortKey());
                    messages.setBytes(3, authorBytes);
                    messages.setString(4, sender);
                    messages.setLong(5, p.ts());
                    messages.setString(6, p.message());
                    messages.addBatch();
                }
                ledger.executeBatch();
                links.executeBatch();
                messages.executeBatch();
                c.commit();
                dbSeconds += (System.nanoTime() - w1) / 1e9;
                written += rows.size();
                if (written >= nextReport || written == toAdd) {
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    System.out.printf("    %s / %s blocks, %.0f s, %s blocks/s (waited for signatures %.0f s, DB %.0f s)%n",
                            Report.num(written), Report.num(toAdd), elapsed, Report.num(written / elapsed, 0),
                            waitSeconds, dbSeconds);
                    nextReport += Math.max(CHUNK, toAdd / 10);
                }
            }
        } finally {
            signers.shutdownNow();
            producer.interrupt();
        }
        producer.join(10_000);
        // The producer has XOR-ed every new hash into xor by the time the last chunk was queued.
        SetDigest digest = new SetDigest(existing.count() + toAdd, Hex.encode(xor));
        long m0 = System.nanoTime();
        // As the writer seals them: the heads the first new block did not name, and the chain's new tip.
        java.util.TreeSet<String> after = new java.util.TreeSet<>();
        heads.forEach(h -> after.add(h.hash()));
        newest(heads).forEach(h -> after.remove(h.hash()));
        if (lastHash != null) {
            after.add(lastHash);
        }
        List<String> headHashes = List.copyOf(after);
        try (PreparedStatement meta = c.prepareStatement(
                "MERGE INTO ledger_meta (id, block_count, digest, seal) KEY (id) VALUES (1, ?, ?, ?)");
             PreparedStatement headRow = c.prepareStatement("MERGE INTO ledger_heads (id, heads, seal) KEY (id) VALUES (1, ?, ?)")) {
            meta.setLong(1, digest.count());
            meta.setString(2, digest.xor());
            meta.setString(3, seal.compute(digest));
            boolean tooMany = headHashes.size() > MAX_PARENTS;
            headRow.setString(1, tooMany ? null : String.join(",", headHashes));
            headRow.setString(2, tooMany ? null : seal.compute(digest.count(), headHashes));
            headRow.executeUpdate();
            meta.executeUpdate();
        }
        c.commit();
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
        dbSeconds += (System.nanoTime() - m0) / 1e9;
        return new double[] {waitSeconds, dbSeconds};
    }

    private static void produce(String groupId, NodeIdentity identity, String author, String sender,
                                List<OrderKey> heads, long toAdd, byte[] xor, ExecutorService signers,
                                BlockingQueue<Future<List<Signed>>> queue) throws Exception {
        List<OrderKey> parents = newest(heads);
        long maxParentTs = parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        long base = Math.max(System.currentTimeMillis(), maxParentTs + 1);
        MessageText texts = new MessageText(toAdd ^ base);
        long index = 0;
        boolean checked = false;
        while (index < toAdd) {
            int size = (int) Math.min(CHUNK, toAdd - index);
            List<Pending> chunk = new ArrayList<>(size);
            for (int i = 0; i < size; i++, index++) {
                List<String> parentHashes = new ArrayList<>(parents.size());
                long height = 0;
                long parentOrderTs = 0;
                for (OrderKey k : parents) {
                    parentHashes.add(k.hash());
                    height = Math.max(height, k.height() + 1);
                    parentOrderTs = Math.max(parentOrderTs, k.orderTs());
                }
                parentHashes.sort(null);
                long ts = base + index / BLOCKS_PER_MS;
                String message = texts.next();
                String hash = BlockEncoding.hash(groupId, parentHashes, height, author, sender, Instant.ofEpochMilli(ts),
                        message);
                if (!checked) {
                    checkAgainstFactory(groupId, identity, parents, sender, ts, message, hash);
                    checked = true;
                }
                byte[] raw = Hex.decode(hash, Block.HASH_BYTES, "hash");
                for (int b = 0; b < xor.length; b++) {
                    xor[b] ^= raw[b];
                }
                long orderTs = Math.max(ts, parentOrderTs);
                chunk.add(new Pending(List.copyOf(parentHashes), height, ts, message, hash, orderTs));
                parents = List.of(new OrderKey(orderTs, height, hash));
            }
            queue.put(signers.submit(() -> sign(identity, author, sender, chunk)));
        }
    }

    /** Runs on a signer thread: signature, seal and sort key of each block; the Block record checks the shape. */
    private static List<Signed> sign(NodeIdentity identity, String author, String sender, List<Pending> chunk) {
        Seal seal = identity.seal();
        List<Signed> out = new ArrayList<>(chunk.size());
        for (Pending p : chunk) {
            String signature = identity.sign(Hex.decode(p.hash(), Block.HASH_BYTES, "hash"));
            new Block(p.parents(), p.height(), author, sender, Instant.ofEpochMilli(p.ts()), p.message(), p.hash(), signature);
            OrderKey key = new OrderKey(p.orderTs(), p.height(), p.hash());
            out.add(new Signed(p, signature, seal.compute(p.hash(), signature, p.orderTs()), key.sortKeyBytes()));
        }
        return out;
    }

    /** The same block made the node's way must be identical, and its signature must verify. */
    private static void checkAgainstFactory(String groupId, NodeIdentity identity, List<OrderKey> parents, String sender,
                                            long ts, String message, String hash) {
        Block made = new BlockFactory(groupId, identity).create(parents, sender, Instant.ofEpochMilli(ts), message);
        if (!made.hash().equals(hash)) {
            throw new IllegalStateException("the loader's hash " + hash + " differs from BlockFactory's " + made.hash());
        }
        String signature = identity.sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        if (!made.signature().equals(signature)
                || !new Ed25519().verify(identity.publicKey(), Hex.decode(hash, Block.HASH_BYTES, "hash"), signature)) {
            throw new IllegalStateException("the loader's signature differs from BlockFactory's or does not verify");
        }
    }

    private static List<OrderKey> newest(List<OrderKey> heads) {
        List<OrderKey> sorted = new ArrayList<>(heads);
        sorted.sort(null);
        return sorted.size() <= MAX_PARENTS ? sorted : sorted.subList(sorted.size() - MAX_PARENTS, sorted.size());
    }

    static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The sealed digest of what is stored; it must be intact, since the new blocks' digest builds on it. */
    private static SetDigest readDigest(Connection c, Seal seal, long count) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT block_count, digest, seal FROM ledger_meta WHERE id = 1")) {
            if (!rs.next()) {
                if (count != 0) {
                    throw new IllegalStateException(count + " blocks stored but no ledger_meta row");
                }
                return SetDigest.EMPTY;
            }
            SetDigest digest = new SetDigest(rs.getLong(1), rs.getString(2));
            if (!seal.matches(rs.getString(3), digest)) {
                throw new IllegalStateException("the stored ledger_meta seal does not match this node's key");
            }
            if (digest.count() != count) {
                throw new IllegalStateException("ledger_meta counts " + digest.count() + " blocks, the table holds " + count);
            }
            return digest;
        }
    }

    /** Blocks no other block names as parent: the same question the node's writer asks at start. */
    static List<OrderKey> heads(Connection c) throws SQLException {
        List<OrderKey> heads = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT l.hash, l.order_ts, l.height FROM ledger l WHERE NOT EXISTS"
                     + " (SELECT 1 FROM ledger_parent p WHERE p.parent_hash = l.hash)")) {
            while (rs.next()) {
                heads.add(new OrderKey(rs.getLong(2), rs.getLong(3), Hex.encode(rs.getBytes(1))));
            }
        }
        return heads;
    }
}
