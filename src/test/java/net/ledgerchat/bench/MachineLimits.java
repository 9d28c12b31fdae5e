package net.ledgerchat.bench;

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
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.ledger.Seal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * What this machine can do at most, measured in this process: the primitives every send and every
 * validation is made of. Each figure is one thread unless it says "all cores".
 */
final class MachineLimits {
    private static final String GROUP = "ledgerchat";

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
        BlockFactory factory = new BlockFactory(GROUP, identity);
        MessageText texts = new MessageText(1);
        Block parent = factory.create(List.of(), "Bench", Instant.ofEpochMilli(1_700_000_000_000L), texts.next());
        OrderKey parentKey = OrderKey.of(parent, 0);
        String message = "x".repeat(100);
        Block block = factory.create(List.of(parentKey), "Bench", Instant.ofEpochMilli(1_700_000_000_001L), message);
        byte[] encoding = BlockEncoding.encode(GROUP, block.parents(), block.height(), block.author(), block.sender(),
                block.timestamp(), block.message());

        int cores = Runtime.getRuntime().availableProcessors();
        report.add(section, "availableProcessors", Integer.toString(cores), "cores");

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] input = encoding.clone();
        double shaRate = rate(seconds, () -> {
            input[input.length - 1]++;
            return sha.digest(input)[0];
        });
        report.add(section, "SHA-256 of a " + encoding.length + "-byte block encoding", Report.num(shaRate, 0), "hashes/s");
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
        long[] orderTs = {1_700_000_000_001L};
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

        // The CPU work the seal-based validation does per ledger row, without the database: parse the row
        // into a Block, recompute the hash, check the seal, rebuild the sort key. An upper bound for the scan.
        OrderKey key = OrderKey.of(block, parentKey.orderTs());
        String storedSeal = seal.compute(block.hash(), block.signature(), key.orderTs());
        String parents = String.join(",", block.parents());
        String sortKey = key.sortKey();
        long ts = block.timestamp().toEpochMilli();
        double scanRate = rate(seconds, () -> {
            Block row = new Block(parents.isEmpty() ? List.of() : List.of(parents.split(",", -1)), block.height(),
                    block.author(), block.sender(), Instant.ofEpochMilli(ts), block.message(), block.hash(),
                    block.signature());
            boolean ok = BlockEncoding.hash(GROUP, row).equals(row.hash())
                    && seal.matches(storedSeal, row.hash(), row.signature(), key.orderTs())
                    && new OrderKey(key.orderTs(), row.height(), row.hash()).sortKey().equals(sortKey);
            if (!ok) {
                throw new IllegalStateException("scan check failed on an intact row");
            }
            return 1;
        });
        report.add(section, "Scan CPU per row, no DB (parse + rehash + seal + sort key, 1 thread)",
                Report.num(scanRate, 0), "rows/s");
        report.add(section, "  = 1,000,000 rows of scan CPU alone", Report.num(1e6 / scanRate, 2), "s");
        // The same work in its parts, to show which one dominates.
        double part = Math.max(0.25, seconds / 2);
        double parse = rate(part, () -> new Block(List.of(parents.split(",", -1)), block.height(), block.author(),
                block.sender(), Instant.ofEpochMilli(ts), block.message(), block.hash(), block.signature()).hashCode());
        report.add(section, "  part: parse row into Block (hex checks, parents)", micros(parse), "us/row");
        double rehash = rate(part, () -> BlockEncoding.hash(GROUP, block).length());
        report.add(section, "  part: BlockEncoding.hash (encode + SHA-256 + hex)", micros(rehash), "us/row");
        double sealCheck = rate(part, () -> seal.matches(storedSeal, block.hash(), block.signature(), key.orderTs()) ? 1 : 0);
        report.add(section, "  part: Seal.matches (hex decode + HMAC)", micros(sealCheck), "us/row");
        double sortKeyRate = rate(part, () -> new OrderKey(key.orderTs(), block.height(), block.hash()).sortKey().length());
        report.add(section, "  part: OrderKey.sortKey() (String.format)", micros(sortKeyRate), "us/row");
        return new Result(encoding.length, shaRate, signRate, verifyRate, verifyAll, sealRate, scanRate);
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
