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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.security.MessageDigest;
import net.ledgerchat.config.Database;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Ed25519;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import net.ledgerchat.ledger.SetDigest;
import net.ledgerchat.membership.Context;
import net.ledgerchat.membership.Membership;

/**
 * Appends a linear chain of real format-2 message blocks to a stopped node's H2 database with plain JDBC batches,
 * writing exactly what {@code LedgerRepository.append} writes per block: the ledger row (header fields, body,
 * membership context, sealed with the node's own key), its parent link, its message row (shown as the membership
 * shows it), and at the end the sealed count, digest and heads of the whole set.
 *
 * <p>The node founded its group at its first start, so the database holds the genesis: the loader writes as a
 * member of that group. It rebuilds the membership from the stored membership blocks (as the node does at start),
 * takes the context of the blocks it follows, and checks by the membership rules that its author may write a
 * message there; every loaded block then has that one context (messages add no membership block).
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

    /** The bounds stored bodies are read back with: each was checked against the node's limits when stored. */
    private static final Limits STORED = new Limits(262_144, 256, MAX_PARENTS, Duration.ofDays(1));

    private record Pending(List<String> parents, long height, long ts, Body.Message body, byte[] bodyBytes, String hash,
                           long orderTs) {
    }

    /**
     * Where the load begins: the blocks the first one follows, the membership context every loaded block has, and
     * how their message rows show them.
     */
    private record Start(List<OrderKey> parents, List<String> context, String name, boolean shown) {
    }

    private record Signed(Pending p, String signature, String seal, String shownSeal, byte[] sortKey) {
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

    /** The node's H2 file, without the options the node opens it with (the loader sets its own). */
    static String jdbcUrl(Path dataDir) {
        String file = new Database.H2(dataDir.toAbsolutePath()).file().toString();
        return "jdbc:h2:file:" + file.substring(0, file.length() - ".mv.db".length());
    }

    /**
     * Appends blocks until the ledger holds {@code target} blocks (nothing if it already does). {@code groupId} is
     * the group the node founded or joined (its genesis hash), {@code sender} the name it has there (its admit's, or
     * the founder's in the genesis): both are checked against the database, whose message rows carry that name.
     */
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
                Files.size(new Database.H2(dataDir.toAbsolutePath()).file()));
    }

    private static double[] load(Connection c, NodeIdentity identity, Seal seal, String groupId, String sender,
                                 List<OrderKey> heads, SetDigest existing, long toAdd, int threads) throws Exception {
        String author = identity.publicKey();
        Start start = start(c, identity, groupId, heads);
        if (!start.name().equals(sender)) {
            throw new IllegalStateException("the loader's author is '" + start.name() + "' in group " + groupId
                    + ", not '" + sender + "'");
        }
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
                produce(groupId, identity, start, toAdd, xor, signers, queue);
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
        byte[] groupBytes = bytes(groupId);
        byte[] context = parentBytes(start.context());
        try (PreparedStatement ledger = c.prepareStatement("INSERT INTO ledger (hash, parents, height, author, grp, ts,"
                + " kind, body, context, signature, order_ts, sort_key, seal) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement links = c.prepareStatement("INSERT INTO ledger_parent (child_hash, parent_hash) VALUES (?,?)");
             PreparedStatement messages = c.prepareStatement("INSERT INTO messages (hash, sort_key, author, sender, ts, text,"
                     + " shown, seal) VALUES (?,?,?,?,?,?,?,?)")) {
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
                    ledger.setBytes(5, groupBytes);
                    ledger.setLong(6, p.ts());
                    ledger.setInt(7, Kind.MESSAGE.code());
                    ledger.setBytes(8, p.bodyBytes());
                    ledger.setBytes(9, context);
                    ledger.setBytes(10, Hex.decode(s.signature(), Block.SIGNATURE_BYTES, "signature"));
                    ledger.setLong(11, p.orderTs());
                    ledger.setBytes(12, s.sortKey());
                    ledger.setBytes(13, bytes(s.seal()));
                    ledger.addBatch();
                    for (String parent : p.parents()) {
                        links.setBytes(1, bytes(p.hash()));
                        links.setBytes(2, bytes(parent));
                        links.addBatch();
                    }
                    messages.setBytes(1, bytes(p.hash()));
                    messages.setBytes(2, s.sortKey());
                    messages.setBytes(3, authorBytes);
                    messages.setString(4, start.name());
                    messages.setLong(5, p.ts());
                    messages.setString(6, p.body().text());
                    messages.setBoolean(7, start.shown());
                    messages.setBytes(8, bytes(s.shownSeal()));
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
        start.parents().forEach(h -> after.remove(h.hash()));
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

    private static void produce(String groupId, NodeIdentity identity, Start start, long toAdd, byte[] xor,
                                ExecutorService signers, BlockingQueue<Future<List<Signed>>> queue) throws Exception {
        String author = identity.publicKey();
        byte[] groupBytes = bytes(groupId);
        byte[] authorBytes = Hex.decode(author, Block.KEY_BYTES, "author");
        MessageDigest sha256 = BlockEncoding.sha256();
        List<OrderKey> parents = start.parents();
        long maxParentTs = parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        long base = Math.max(System.currentTimeMillis(), maxParentTs + 1);
        MessageText texts = new MessageText(toAdd ^ base);
        SplittableRandom salts = new SplittableRandom(toAdd ^ base);
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
                byte[] salt = new byte[Body.SALT_BYTES];
                salts.nextBytes(salt);
                Body.Message body = new Body.Message(Hex.encode(salt), texts.next());
                byte[] bodyBytes = body.encode();
                byte[] raw = BlockEncoding.headerHash(sha256, groupBytes, parentBytes(parentHashes), parentHashes.size(),
                        height, authorBytes, ts, Kind.MESSAGE.code(), BlockEncoding.bodyDigest(sha256, bodyBytes));
                String hash = Hex.encode(raw);
                if (!checked) {
                    checkAgainstFactory(groupId, identity, parents, ts, body, hash);
                    checked = true;
                }
                for (int b = 0; b < xor.length; b++) {
                    xor[b] ^= raw[b];
                }
                long orderTs = Math.max(ts, parentOrderTs);
                chunk.add(new Pending(List.copyOf(parentHashes), height, ts, body, bodyBytes, hash, orderTs));
                parents = List.of(new OrderKey(orderTs, height, hash));
            }
            queue.put(signers.submit(() -> sign(identity, groupId, chunk, start)));
        }
    }

    /** Runs on a signer thread: signature, seal and sort key of each block; the Block record checks the shape. */
    private static List<Signed> sign(NodeIdentity identity, String groupId, List<Pending> chunk, Start start) {
        Seal seal = identity.seal();
        String author = identity.publicKey();
        List<Signed> out = new ArrayList<>(chunk.size());
        for (Pending p : chunk) {
            String signature = identity.sign(Hex.decode(p.hash(), Block.HASH_BYTES, "hash"));
            new Block(new Header(groupId, p.parents(), p.height(), author, Instant.ofEpochMilli(p.ts()), Kind.MESSAGE,
                    Body.digest(p.bodyBytes())), p.body(), p.hash(), signature);
            OrderKey key = new OrderKey(p.orderTs(), p.height(), p.hash());
            out.add(new Signed(p, signature, seal.compute(p.hash(), signature, p.orderTs(), start.context()),
                    seal.shown(p.hash(), start.shown(), start.name()), key.sortKeyBytes()));
        }
        return out;
    }

    /** The same block made the node's way must be identical, and its signature must verify. */
    private static void checkAgainstFactory(String groupId, NodeIdentity identity, List<OrderKey> parents, long ts,
                                            Body.Message body, String hash) {
        Block made = new BlockFactory(identity).write(groupId, parents, Instant.ofEpochMilli(ts), body);
        if (!made.hash().equals(hash)) {
            throw new IllegalStateException("the loader's hash " + hash + " differs from BlockFactory's " + made.hash());
        }
        String signature = identity.sign(Hex.decode(hash, Block.HASH_BYTES, "hash"));
        if (!made.signature().equals(signature)
                || !new Ed25519().verify(identity.publicKey(), Hex.decode(hash, Block.HASH_BYTES, "hash"), signature)) {
            throw new IllegalStateException("the loader's signature differs from BlockFactory's or does not verify");
        }
    }

    /**
     * Where the load begins, as the node's writer would place a message of {@code identity}'s on the newest heads:
     * the group's membership rebuilt from the stored membership blocks, the context at those heads, and the rule
     * for a message checked there.
     */
    private static Start start(Connection c, NodeIdentity identity, String groupId, List<OrderKey> heads)
            throws SQLException {
        String genesis = genesis(c);
        if (!genesis.equals(groupId)) {
            throw new IllegalStateException("the database holds group " + genesis + ", not " + groupId);
        }
        Membership membership = new Membership(groupId);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT hash, parents, height, author, grp,"
                + " ts, kind, body, signature, context FROM ledger WHERE kind <> " + Kind.MESSAGE.code()
                + " ORDER BY sort_key")) {
            while (rs.next()) {
                // As the node rebuilds it at start: parents first, each at the context stored with it.
                membership.record(block(rs), membership.contextOf(hashes(rs.getBytes(10))));
            }
        }
        List<OrderKey> parents = newest(heads);
        List<Context> contexts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT kind, context FROM ledger WHERE hash = ?")) {
            for (OrderKey parent : parents) {
                s.setBytes(1, bytes(parent.hash()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    // A membership block is the latest membership block in its children's past.
                    contexts.add(membership.contextOf(rs.getInt(1) == Kind.MESSAGE.code() ? hashes(rs.getBytes(2))
                            : List.of(parent.hash())));
                }
            }
        }
        Context atParents = membership.contextAfter(contexts);
        Block probe = new BlockFactory(identity).write(groupId, parents, Instant.ofEpochMilli(
                parents.stream().mapToLong(OrderKey::orderTs).max().orElse(0) + 1), new Body.Message("00".repeat(16), "probe"));
        membership.check(probe, atParents).ifPresent(refusal -> {
            throw new IllegalStateException("the node's key may not write a message in group " + groupId + ": "
                    + refusal.description());
        });
        String name = membership.nameOf(identity.publicKey()).orElseThrow();
        // The loaded blocks follow every stored block they are placed after, so none of those follows them.
        boolean shown = membership.counts(probe, atParents, (ancestor, descendant) -> false);
        return new Start(parents, membership.hashesOf(atParents), name, shown);
    }

    /** The stored genesis's hash: the group id. */
    private static String genesis(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT hash FROM ledger WHERE kind = "
                + Kind.GENESIS.code())) {
            if (!rs.next()) {
                throw new IllegalStateException("the database holds no genesis: start the node once, so it founds its group");
            }
            return Hex.encode(rs.getBytes(1));
        }
    }

    /** A stored block from the columns hash, parents, height, author, grp, ts, kind, body, signature (in that order). */
    private static Block block(ResultSet rs) throws SQLException {
        Kind kind = Kind.ofCode(rs.getInt(7));
        Body body = Body.decode(kind, rs.getBytes(8), STORED);
        byte[] group = rs.getBytes(5);
        Header header = new Header(group.length == 0 ? "" : Hex.encode(group), hashes(rs.getBytes(2)), rs.getLong(3),
                Hex.encode(rs.getBytes(4)), Instant.ofEpochMilli(rs.getLong(6)), kind, body.digest());
        return new Block(header, body, Hex.encode(rs.getBytes(1)), Hex.encode(rs.getBytes(9)));
    }

    /** 32-byte hashes concatenated (a parents or context column) as hex hashes. */
    private static List<String> hashes(byte[] joined) {
        List<String> hashes = new ArrayList<>(joined.length / Block.HASH_BYTES);
        for (int at = 0; at < joined.length; at += Block.HASH_BYTES) {
            hashes.add(Hex.encode(java.util.Arrays.copyOfRange(joined, at, at + Block.HASH_BYTES)));
        }
        return hashes;
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
