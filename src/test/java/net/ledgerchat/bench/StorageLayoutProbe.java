package net.ledgerchat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.OrderKey;

/**
 * What one commit costs in H2 for the node's schema and for candidate layouts. MVStore copies every B-tree page
 * a commit touches, so the column types and the indexes on random keys decide the cost; this makes the
 * comparison reproducible instead of a throwaway program. Plain JDBC on a fresh file database with the node's
 * durability ({@code WRITE_DELAY=0}): per block the rows the node writes for a message (ledger row of block format
 * 2, one parent link of a linear chain, message row), per commit its UPDATEs of ledger_meta and ledger_heads. Only the appends and
 * commits are timed. {@link StorageLimits} is the node benchmark's time-boxed ceiling for today's schema; this
 * runs fixed block counts per layout and commit size and reports commit latency and bytes too. By hand:
 * <pre>
 * mvn -B -o -q test-compile
 * mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) net.ledgerchat.bench.StorageLayoutProbe \
 *     [--blocks=N] [--groups=1,16,200] [--layouts=current,messages-by-hash,links-by-parent] [--warmup=N]
 * </pre>
 * {@code --blocks} defaults to 60,000 (20,000 when committing every block). {@code --warmup} blocks (default
 * 5,000) first go to a throwaway database per layout, so H2 is compiled before anything counts. "written" is
 * wchar (bytes this process handed to write calls), "disk" write_bytes (bytes sent to storage), both from
 * /proc/self/io, process-wide.
 */
final class StorageLayoutProbe {
    private static final Path BASE = Path.of("target", "bench", "probe");
    private static final String SCHEMA = "/net/ledgerchat/store/h2-schema.sql";
    /** A candidate: the node's fixed-length columns as fixed BINARY (the group stays VARBINARY: the genesis has
     *  none), and links keyed by parent first with no second index (one B-tree fewer per commit; a child's links
     *  would be found through its ledger row's parents). ledger_meta and ledger_heads are taken from h2-schema.sql. */
    private static final String LINKS_BY_PARENT_TABLES = """
            CREATE TABLE ledger (hash BINARY(32) NOT NULL, author BINARY(32) NOT NULL, body VARBINARY(263168) NOT NULL, \
            context VARBINARY(8192) NOT NULL, grp VARBINARY(32) NOT NULL, height BIGINT NOT NULL, kind INTEGER NOT NULL, \
            order_ts BIGINT NOT NULL, parents VARBINARY(2048) NOT NULL, seal BINARY(32) NOT NULL, \
            signature BINARY(64) NOT NULL, sort_key BINARY(48) NOT NULL, ts BIGINT NOT NULL, PRIMARY KEY (hash))
            CREATE UNIQUE INDEX ledger_sort_key ON ledger (sort_key)
            CREATE INDEX ledger_sort_key_desc ON ledger (sort_key DESC)
            CREATE TABLE ledger_parent (parent_hash BINARY(32) NOT NULL, child_hash BINARY(32) NOT NULL, \
            PRIMARY KEY (parent_hash, child_hash))
            CREATE TABLE messages (sort_key BINARY(48) NOT NULL, author BINARY(32) NOT NULL, hash BINARY(32) NOT NULL, \
            send_key VARCHAR(64), sender VARCHAR(256) NOT NULL, shown BOOLEAN NOT NULL, text VARCHAR(262144) NOT NULL, \
            ts BIGINT NOT NULL, PRIMARY KEY (sort_key))
            CREATE INDEX messages_sort_key_desc ON messages (sort_key DESC)
            """;

    /**
     * One message block's values as the node stores them: hashes, keys, signature, sort key and seal as bytes, the
     * body as its canonical encoding, the context as the one membership block (the genesis) in its past.
     */
    private record Row(byte[] hash, byte[] parent, long height, byte[] author, byte[] group, long ts, byte[] body,
                       byte[] context, String text, byte[] signature, byte[] sortKey, byte[] seal) {
    }

    private StorageLayoutProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--blocks", "", "--groups", "1,16,200", "--warmup", "5000",
                "--layouts", "current,messages-by-hash,links-by-parent"));
        for (String arg : args) {
            if (!arg.contains("=") || !options.containsKey(arg.split("=")[0])) {
                throw new IllegalArgumentException("unknown option " + arg + "; options: --blocks=N --groups=1,16,200"
                        + " --layouts=current,messages-by-hash,links-by-parent --warmup=N");
            }
            options.put(arg.split("=")[0], arg.substring(arg.indexOf('=') + 1).replace("_", ""));
        }
        Files.createDirectories(BASE);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:")) {
            System.out.printf("nproc %d, load %s; %s %s; java %s (%s); H2 %s; files on %s (%s)%n",
                    Runtime.getRuntime().availableProcessors(), procFile("loadavg").get(0), System.getProperty("os.name"),
                    System.getProperty("os.version"), System.getProperty("java.runtime.version"),
                    System.getProperty("java.vm.name"), c.getMetaData().getDriverVersion(), BASE.toAbsolutePath(),
                    Files.getFileStore(BASE).type());
        }
        List<String> table = new ArrayList<>(List.of("| layout | blocks per commit | blocks | blocks/s | commit p50 ms"
                + " | commit p99 ms | file B/block | written B/block | disk B/block |",
                "|---|--:|--:|--:|--:|--:|--:|--:|--:|"));
        for (String layout : options.get("--layouts").split(",")) {
            String name = layout.strip();
            List<String> ddl = ddl(name);
            if (Integer.parseInt(options.get("--warmup")) > 0) {
                run(name, ddl, 16, Integer.parseInt(options.get("--warmup")));
            }
            for (String g : options.get("--groups").split(",")) {
                int group = Integer.parseInt(g.strip());
                String blocks = options.get("--blocks");
                int count = !blocks.isEmpty() ? Integer.parseInt(blocks) : group == 1 ? 20_000 : 60_000;
                table.add(run(name, ddl, group, count));
                System.out.println(table.get(table.size() - 1));
            }
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /** The layout's DDL, one statement a line, built on the node's generated DDL where the layout shares it. */
    private static List<String> ddl(String layout) throws IOException {
        String current;
        try (InputStream in = Objects.requireNonNull(StorageLayoutProbe.class.getResourceAsStream(SCHEMA),
                SCHEMA + " is not on the classpath: run with target/test-classes")) {
            current = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Before messages were keyed by sort key (the only table with that key): keyed by hash, sort key unique.
        String byHash = current.replace(", PRIMARY KEY (sort_key))",
                ", PRIMARY KEY (hash))\nCREATE UNIQUE INDEX messages_sort_key ON messages (sort_key)");
        String ddl = switch (layout) {
            case "current" -> current;
            case "messages-by-hash" -> {
                if (byHash.equals(current)) {
                    throw new IllegalStateException(SCHEMA + " no longer keys messages by sort_key: update this probe");
                }
                yield byHash;
            }
            case "links-by-parent" -> LINKS_BY_PARENT_TABLES + current.lines().filter(l -> l.startsWith("CREATE TABLE ledger_meta ")
                    || l.startsWith("CREATE TABLE ledger_heads ")).reduce("", (a, l) -> a + l + "\n");
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        };
        return ddl.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Appends {@code blocks} blocks to a fresh database, {@code group} per commit; one Markdown table row. */
    private static String run(String layout, List<String> ddl, int group, int blocks) throws Exception {
        Path dir = Files.createTempDirectory(BASE, layout + "-g" + group + "-");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("chat")
                + ";WRITE_DELAY=0", "chat", "chat"); Statement s = c.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
            s.execute("INSERT INTO ledger_meta (id, block_count, digest, seal) VALUES (1, 0, '', '')");
            s.execute("INSERT INTO ledger_heads (id, heads, seal) VALUES (1, NULL, NULL)");
            c.setAutoCommit(false);
            PreparedStatement ledger = c.prepareStatement("INSERT INTO ledger (hash, parents, height, author, grp, ts,"
                    + " kind, body, context, signature, order_ts, sort_key, seal) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            PreparedStatement link = c.prepareStatement("INSERT INTO ledger_parent (child_hash, parent_hash) VALUES (?,?)");
            PreparedStatement message = c.prepareStatement(
                    "INSERT INTO messages (sort_key, author, hash, sender, text, ts, shown, seal) VALUES (?,?,?,?,?,?,?,?)");
            PreparedStatement meta = c.prepareStatement(
                    "UPDATE ledger_meta SET block_count = ?, digest = ?, seal = ? WHERE id = 1");
            PreparedStatement heads = c.prepareStatement("UPDATE ledger_heads SET heads = ?, seal = ? WHERE id = 1");
            Chain chain = new Chain();
            long[] commits = new long[(blocks + group - 1) / group];
            long busy = 0;
            long[] io = io();
            for (int n = 0; n < commits.length; n++) {
                List<Row> rows = new ArrayList<>(group);
                for (int i = n * group; i < Math.min(blocks, (n + 1) * group); i++) {
                    rows.add(chain.next());
                }
                String[] sealed = {Hex.encode(chain.digest), Hex.encode(chain.bytes(32)), Hex.encode(chain.bytes(32))};
                long start = System.nanoTime();
                for (Row b : rows) {
                    set(ledger, b.hash, b.parent, b.height, b.author, b.group, b.ts, Kind.MESSAGE.code(), b.body, b.context,
                            b.signature, b.ts, b.sortKey, b.seal).executeUpdate();
                    set(link, b.hash, b.parent).executeUpdate();
                    set(message, b.sortKey, b.author, b.hash, "alice", b.text, b.ts, true, b.seal).executeUpdate();
                }
                set(meta, chain.height, sealed[0], sealed[1]).executeUpdate();
                set(heads, chain.head, sealed[2]).executeUpdate();
                long commit = System.nanoTime();
                c.commit();
                long end = System.nanoTime();
                commits[n] = end - commit;
                busy += end - start;
            }
            long[] ioAfter = io();
            long file = Files.size(dir.resolve("chat.mv.db"));
            Arrays.sort(commits);
            return String.format("| %s | %d | %d | %.0f | %.2f | %.2f | %d | %s | %s |", layout, group, blocks,
                    blocks / (busy / 1e9), commits[(int) Math.ceil(0.50 * commits.length) - 1] / 1e6,
                    commits[(int) Math.ceil(0.99 * commits.length) - 1] / 1e6, file / blocks,
                    io == null ? "n/a" : (ioAfter[0] - io[0]) / blocks, io == null ? "n/a" : (ioAfter[1] - io[1]) / blocks);
        } finally {
            NodeBenchmark.deleteTree(dir);
        }
    }

    private static PreparedStatement set(PreparedStatement statement, Object... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }

    /** A linear chain of realistic message blocks; {@link #digest} is the XOR of their hashes, as the node seals it. */
    private static final class Chain {
        private final SplittableRandom random = new SplittableRandom(7);
        private final MessageText texts = new MessageText(7);
        private final MessageDigest sha256;
        private final byte[] author;
        private final byte[] genesis;
        private final byte[] digest = new byte[32];
        private byte[] parent;
        private String head;
        private long height;
        private long ts = 1_700_000_000_000L;

        Chain() throws Exception {
            sha256 = MessageDigest.getInstance("SHA-256");
            genesis = sha256.digest("genesis".getBytes(StandardCharsets.UTF_8));
            parent = genesis;
            author = bytes(32);
        }

        Row next() {
            String text = texts.next();
            ts += 1 + random.nextInt(50);
            byte[] body = new Body.Message(Hex.encode(bytes(Body.SALT_BYTES)), text).encode();
            sha256.update(parent);
            byte[] hash = sha256.digest((++height + "|" + ts + "|" + text).getBytes(StandardCharsets.UTF_8));
            head = Hex.encode(hash);
            for (int i = 0; i < 32; i++) {
                digest[i] ^= hash[i];
            }
            // A linear chain: orderTs = ts.
            byte[] key = new OrderKey(ts, height, head).sortKeyBytes();
            Row row = new Row(hash, parent, height, author, genesis, ts, body, genesis, text, bytes(64), key, bytes(32));
            parent = hash;
            return row;
        }

        byte[] bytes(int length) {
            byte[] b = new byte[length];
            random.nextBytes(b);
            return b;
        }
    }

    /** {wchar, write_bytes} of this process, or null without /proc/self/io. */
    private static long[] io() {
        Map<String, Long> io = procFile("self/io").stream().filter(l -> l.contains(":"))
                .collect(Collectors.toMap(l -> l.split(":")[0], l -> Long.parseLong(l.split(":")[1].strip())));
        return io.containsKey("wchar") && io.containsKey("write_bytes")
                ? new long[] {io.get("wchar"), io.get("write_bytes")} : null;
    }

    private static List<String> procFile(String name) {
        try {
            return Files.readAllLines(Path.of("/proc", name));
        } catch (IOException e) {
            return List.of("n/a");
        }
    }
}
