package net.ledgerchat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Random;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;

/**
 * How many blocks per second H2 itself can store on this machine, with the node's schema (a copy of a database the
 * node created) and the node's durability ({@code WRITE_DELAY=0}), through plain JDBC in this JVM: the rows one
 * stored message block of format 2 costs (ledger row with its group, kind, canonical body and membership context;
 * parent link; message row with its shown flag; and the sealed count and head rows the writer updates with every
 * commit), as {@code LedgerRepository.append} writes them, once committing every block, once
 * committing {@code batch} blocks together, once committing {@link #LARGEST_GROUP} together. No JPA, no
 * JTA, no signature checks: a ceiling for the node's storing, not a figure of the node.
 */
final class StorageLimits {
    /** The most blocks the node's writer commits in one transaction (its {@code Committer.MAX_GROUP}). */
    static final int LARGEST_GROUP = 1_000;

    /** Blocks per second stored one commit per block, {@code batch} blocks per commit, and the largest group. */
    record Result(double perBlockCommit, double perBatchCommit, int batch, double perLargestGroup) {
        /** Core-seconds H2 alone needs per block at its best rate measured (one thread; larger commits are not always cheaper). */
        double coreSecondsPerBlock() {
            return 1 / Math.max(perBatchCommit, perLargestGroup);
        }
    }

    private StorageLimits() {
    }

    static Result measure(Path emptyDatabase, Path scratch, double seconds, int batch) throws Exception {
        NodeBenchmark.deleteTree(scratch);
        Files.createDirectories(scratch);
        Files.copy(emptyDatabase, scratch.resolve("group.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        String url = "jdbc:h2:file:" + scratch.resolve("group") + ";WRITE_DELAY=0";
        try (Connection c = DriverManager.getConnection(url, "chat", "chat")) {
            c.setAutoCommit(false);
            Rows rows = new Rows(c);
            // The first second warms the JIT and H2's caches; it is not counted.
            rows.rate(0.5, 1);
            double one = rows.rate(seconds, 1);
            double many = rows.rate(seconds, batch);
            double largest = rows.rate(seconds, LARGEST_GROUP);
            return new Result(one, many, batch, largest);
        } finally {
            NodeBenchmark.deleteTree(scratch);
        }
    }

    /**
     * Writes chained fake message blocks: right sizes and shapes, random bytes where a hash, key or signature goes, a
     * real message body (16 random salt bytes and a text), and a context of one membership block (as a message's is
     * when the group's membership blocks are all in its past).
     */
    private static final class Rows {
        private final Connection c;
        private final PreparedStatement ledger;
        private final PreparedStatement link;
        private final PreparedStatement message;
        private final PreparedStatement meta;
        private final PreparedStatement heads;
        private final Random random = new Random(7);
        private final MessageText texts = new MessageText(7);
        private final String author = hex(32);
        private final byte[] group = bytes(32);
        private final byte[] context = bytes(32);
        private String parent = hex(32);
        private long height;
        private long ts = System.currentTimeMillis();

        Rows(Connection c) throws Exception {
            this.c = c;
            ledger = c.prepareStatement("INSERT INTO ledger (hash, parents, height, author, grp, ts, kind, body, context,"
                    + " signature, order_ts, sort_key, seal) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            link = c.prepareStatement("INSERT INTO ledger_parent (child_hash, parent_hash) VALUES (?,?)");
            message = c.prepareStatement("INSERT INTO messages (hash, sort_key, author, sender, ts, text, shown, seal)"
                    + " VALUES (?,?,?,?,?,?,?,?)");
            meta = c.prepareStatement("MERGE INTO ledger_meta (id, block_count, digest, seal) KEY (id) VALUES (1, ?, ?, ?)");
            heads = c.prepareStatement("MERGE INTO ledger_heads (id, heads, seal) KEY (id) VALUES (1, ?, ?)");
        }

        /** Blocks per second over about {@code seconds}, committing every {@code perCommit} blocks. */
        double rate(double seconds, int perCommit) throws Exception {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long stored = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < perCommit; i++) {
                    insert();
                }
                meta.setLong(1, height);
                meta.setString(2, hex(32));
                meta.setString(3, hex(32));
                meta.executeUpdate();
                heads.setString(1, parent);
                heads.setString(2, hex(32));
                heads.executeUpdate();
                c.commit();
                stored += perCommit;
            }
            return stored / ((System.nanoTime() - start) / 1e9);
        }

        private void insert() throws Exception {
            // Bytes where the binary layout stores bytes: hash, parents, author, signature, sort key, seal.
            String hash = hex(32);
            byte[] hashBytes = Hex.decode(hash, 32, "hash");
            byte[] parentBytes = Hex.decode(parent, 32, "parent");
            byte[] authorBytes = Hex.decode(author, 32, "author");
            byte[] key = new OrderKey(++ts, ++height, hash).sortKeyBytes();
            String text = texts.next();
            byte[] body = new Body.Message(hex(Body.SALT_BYTES), text).encode();
            ledger.setBytes(1, hashBytes);
            ledger.setBytes(2, parentBytes);
            ledger.setLong(3, height);
            ledger.setBytes(4, authorBytes);
            ledger.setBytes(5, group);
            ledger.setLong(6, ts);
            ledger.setInt(7, Kind.MESSAGE.code());
            ledger.setBytes(8, body);
            ledger.setBytes(9, context);
            ledger.setBytes(10, bytes(64));
            ledger.setLong(11, ts);
            ledger.setBytes(12, key);
            ledger.setBytes(13, bytes(32));
            ledger.executeUpdate();
            link.setBytes(1, hashBytes);
            link.setBytes(2, parentBytes);
            link.executeUpdate();
            message.setBytes(1, hashBytes);
            message.setBytes(2, key);
            message.setBytes(3, authorBytes);
            message.setString(4, "Bench");
            message.setLong(5, ts);
            message.setString(6, text);
            message.setBoolean(7, true);
            // Storage only: a row's seal costs its 32 bytes whatever it holds.
            message.setBytes(8, new byte[32]);
            message.executeUpdate();
            parent = hash;
        }

        private byte[] bytes(int count) {
            byte[] b = new byte[count];
            random.nextBytes(b);
            return b;
        }

        private String hex(int count) {
            return Hex.encode(bytes(count));
        }
    }
}
