package net.ledgerchat.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockEncoding;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * What this machine can do at most, measured in this process: the primitives every send and every
 * validation is made of. Each figure is one thread unless it says "all cores".
 */
final class MachineLimits {
    private static final String GROUP = "Bench group";

    /** The measured rates (per second), for comparisons later in the run. */
    record Result(int encodingBytes, double sha256PerSec, double signPerSec, double verifyPerSec,
                  double verifyAllCoresPerSec, double sealPerSec, double scanRowPerSec) {
    }

    private MachineLimits() {
    }

    /** Sign and verify rates of one provider: one thread each, then verify on all cores. */
    private static double[] ed25519(double seconds, int cores, byte[] digest, Provider provider, String name,
                                    Report report, String section) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", provider).generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519", provider);
        signer.initSign(pair.getPrivate());
        double signRate = rate(seconds, () -> {
            digest[0]++;
            signer.update(digest);
            return signer.sign()[0];
        });
        report.add(section, "Ed25519 sign (" + name + ", 1 thread)", Report.num(signRate, 0), "signatures/s");
        signer.update(digest);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519", provider);
        verifier.initVerify(pair.getPublic());
        double verifyRate = rate(seconds, () -> {
            verifier.update(digest);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("signature did not verify");
            }
            return 1;
        });
        report.add(section, "Ed25519 verify (" + name + ", 1 thread)", Report.num(verifyRate, 0), "verifications/s");
        double verifyAll = allCores(seconds, cores, () -> {
            Signature v = Signature.getInstance("Ed25519", provider);
            v.initVerify(pair.getPublic());
            return rate(seconds, () -> {
                v.update(digest);
                return v.verify(signature) ? 1 : 0;
            });
        });
        report.add(section, "Ed25519 verify (" + name + ", all " + cores + " cores)", Report.num(verifyAll, 0),
                "verifications/s");
        return new double[] {signRate, verifyRate, verifyAll};
    }

    /**
     * Only the node's own Ed25519 (Bouncy Castle) rates: what the peer rows need when the rest of section 1
     * is skipped. Returns {sign, verify on one thread, verify on all cores} per second.
     */
    static double[] nodeEd25519(double seconds, Report report) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("peer rows".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        report.add("1. Machine limits", "availableProcessors", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "cores");
        return ed25519(seconds, Runtime.getRuntime().availableProcessors(), digest, new BouncyCastleProvider(),
                "Bouncy Castle, the node's", report, "1. Machine limits");
    }

    static Result measure(double seconds, Report report) throws Exception {
        String section = "1. Machine limits";
        NodeIdentity identity = NodeIdentity.generate();
        BlockFactory factory = new BlockFactory(identity);
        MessageText texts = new MessageText(1);
        Block genesis = factory.found(GROUP, "Bench", Instant.ofEpochMilli(1_700_000_000_000L));
        String group = genesis.hash();
        OrderKey parentKey = OrderKey.of(genesis, 0);
        Block parent = factory.write(group, List.of(parentKey), Instant.ofEpochMilli(1_700_000_000_001L),
                new Body.Message("00".repeat(Body.SALT_BYTES), texts.next()));
        parentKey = OrderKey.of(parent, parentKey.orderTs());
        String message = "x".repeat(100);
        Block block = factory.write(group, List.of(parentKey), Instant.ofEpochMilli(1_700_000_000_002L),
                new Body.Message("11".repeat(Body.SALT_BYTES), message));
        // Block format 2 hashes the header, which carries the body's digest: two SHA-256 per block.
        byte[] encoding = block.header().encode();

        int cores = Runtime.getRuntime().availableProcessors();
        report.add(section, "availableProcessors", Integer.toString(cores), "cores");

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] input = encoding.clone();
        double shaRate = rate(seconds, () -> {
            input[input.length - 1]++;
            return sha.digest(input)[0];
        });
        report.add(section, "SHA-256 of a " + encoding.length + "-byte block header encoding", Report.num(shaRate, 0), "hashes/s");
        report.add(section, "SHA-256 throughput", Report.num(shaRate * encoding.length / 1e6, 1), "MB/s");

        byte[] digest = sha.digest(encoding);
        // The JDK's own provider, for comparison, then the one the node signs and verifies with.
        ed25519(seconds, cores, digest, Security.getProvider("SunEC"), "JDK " + System.getProperty("java.version"),
                report, section);
        double[] node = ed25519(seconds, cores, digest, new BouncyCastleProvider(), "Bouncy Castle, the node's",
                report, section);
        double signRate = node[0];
        double verifyRate = node[1];
        double verifyAll = node[2];

        Seal seal = identity.seal();
        long[] orderTs = {1_700_000_000_002L};
        double sealRate = rate(seconds, () -> seal.compute(block.hash(), block.signature(), orderTs[0]++).length());
        report.add(section, "HMAC-SHA256 seal (Seal.compute: hex in, hex out)", Report.num(sealRate, 0), "seals/s");

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] sealInput = new byte[1 + 32 + 64 + 8];
        double macRate = rate(seconds, () -> {
            sealInput[0]++;
            return mac.doFinal(sealInput)[0];
        });
        report.add(section, "HMAC-SHA256 over 105 bytes (raw Mac)", Report.num(macRate, 0), "MACs/s");

        // The CPU work the seal-based validation does per ledger row, without the database, on the row's columns
        // as stored (bytes): recompute the header hash over the body's digest, check the seal and the sort key, and
        // fingerprint the message row the block must have. An upper bound for the scan (LedgerPass).
        OrderKey key = OrderKey.of(block, parentKey.orderTs());
        Row row = new Row(block, key, seal);
        double scanRate = rate(seconds, () -> {
            if (!row.hashMatches() || !row.sealMatches() || !row.sortKeyMatches()) {
                throw new IllegalStateException("scan check failed on an intact row");
            }
            return (int) row.projection();
        });
        report.add(section, "Scan CPU per row, no DB (rehash + seal + sort key + projection, 1 thread)",
                Report.num(scanRate, 0), "rows/s");
        report.add(section, "  = 1,000,000 rows of scan CPU alone", Report.num(1e6 / scanRate, 2), "s");
        // The same work in its parts, to show which one dominates.
        double part = Math.max(0.25, seconds / 2);
        double rehash = rate(part, () -> row.hashMatches() ? 1 : 0);
        report.add(section, "  part: BlockEncoding.headerHash over the body digest (two SHA-256)", micros(rehash), "us/row");
        double sealCheck = rate(part, () -> row.sealMatches() ? 1 : 0);
        report.add(section, "  part: Seal.matches (bytes, HMAC)", micros(sealCheck), "us/row");
        double sortKeyRate = rate(part, () -> row.sortKeyMatches() ? 1 : 0);
        report.add(section, "  part: OrderKey.isSortKeyOf (bytes)", micros(sortKeyRate), "us/row");
        double projection = rate(part, () -> (int) row.projection());
        report.add(section, "  part: Seal.projection (the message row's fingerprint)", micros(projection), "us/row");
        return new Result(encoding.length, shaRate, signRate, verifyRate, verifyAll, sealRate, scanRate);
    }

    /** One ledger row's columns as the scan reads them, and the scan's checks on them. */
    private static final class Row {
        private final MessageDigest sha256 = BlockEncoding.sha256();
        private final Seal seal;
        private final byte[] hash;
        private final byte[] group;
        private final byte[] parents;
        private final int parentCount;
        private final long height;
        private final byte[] author;
        private final long ts;
        private final int kind;
        private final byte[] body;
        private final byte[] text;
        private final byte[] signature;
        private final long orderTs;
        private final byte[] sortKey;
        private final byte[] storedSeal;

        Row(Block block, OrderKey key, Seal seal) {
            this.seal = seal;
            hash = Hex.decode(block.hash(), Block.HASH_BYTES, "hash");
            group = Hex.decode(block.header().group(), Block.HASH_BYTES, "group");
            parentCount = block.parents().size();
            parents = Hex.decode(String.join("", block.parents()), parentCount * Block.HASH_BYTES, "parents");
            height = block.height();
            author = Hex.decode(block.author(), Block.KEY_BYTES, "author");
            ts = block.timestamp().toEpochMilli();
            kind = block.kind().code();
            body = block.body().encode();
            text = block.body(Body.Message.class).text().getBytes(StandardCharsets.UTF_8);
            signature = Hex.decode(block.signature(), Block.SIGNATURE_BYTES, "signature");
            orderTs = key.orderTs();
            sortKey = key.sortKeyBytes();
            storedSeal = Hex.decode(seal.compute(block.hash(), block.signature(), orderTs, List.of()), 32, "seal");
        }

        boolean hashMatches() {
            return MessageDigest.isEqual(hash, BlockEncoding.headerHash(sha256, group, parents, parentCount, height,
                    author, ts, kind, BlockEncoding.bodyDigest(sha256, body)));
        }

        boolean sealMatches() {
            return seal.matches(storedSeal, hash, signature, orderTs, new byte[0]);
        }

        boolean sortKeyMatches() {
            return OrderKey.isSortKeyOf(sortKey, orderTs, height, hash);
        }

        long projection() {
            return seal.projection(orderTs, height, hash, author, ts, text);
        }
    }

    private static String micros(double perSecond) {
        return Report.num(1e6 / perSecond, 2);
    }

    interface Op {
        int run() throws Exception;
    }

    /** Operations per second of {@code op}, after a short warm-up, over about {@code seconds}. */
    static double rate(double seconds, Op op) throws Exception {
        long warmEnd = System.nanoTime() + (long) (Math.min(0.5, seconds / 4) * 1e9);
        int sink = 0;
        while (System.nanoTime() < warmEnd) {
            for (int i = 0; i < 16; i++) {
                sink += op.run();
            }
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long count = 0;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                sink += op.run();
            }
            count += 16;
            now = System.nanoTime();
        } while (now < end);
        if (sink == 42) {
            System.out.print("");
        }
        return count / ((now - start) / 1e9);
    }

    private static double allCores(double seconds, int threads, Callable<Double> perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(perThread));
            }
            double total = 0;
            for (Future<Double> f : results) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
