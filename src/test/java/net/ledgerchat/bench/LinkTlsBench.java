package net.ledgerchat.bench;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.peer.Gossip;
import net.ledgerchat.peer.Handshake;
import net.ledgerchat.peer.PeerLink;
import net.ledgerchat.peer.PeerSession;
import net.ledgerchat.peer.tls.PeerTls;

/**
 * What TLS costs a peer link, plaintext beside it on the same build in one run: two nodes' protocol stacks in one
 * process (the node's writer, verifiers and sync over an in-memory store, so no database cost hides the link's),
 * linked over loopback TCP, once in plaintext and once over TLS 1.3 as the node links, alternated. Each round, A
 * founds a fresh group and admits B, which holds nothing yet (as a node that joined by invite and has not received
 * the history). Rows: catch-up (B syncs the genesis, invite, admit and N messages of A's) and send-to-stored latency
 * (a message stored on A until B stores it, one at a time).
 * <pre>mvn -q -DskipTests test-compile exec:java@link-bench [-Dexec.args="blocks sends rounds", default "20000 300 3"]</pre>
 */
public final class LinkTlsBench {
    private static final String GROUP_NAME = "link-bench";
    private static final PeerLink.Limits LIMITS = new PeerLink.Limits(1024 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(60), 10_000);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // Each link logs its end; a hundred such lines would bury the table.
        java.util.logging.Logger.getLogger("net.ledgerchat").setLevel(java.util.logging.Level.WARNING);
        LinkTlsBench bench = new LinkTlsBench();
        try {
            System.out.printf(Locale.ROOT, "%-6s %-9s %14s %12s %12s %12s%n", "round", "transport", "catch-up", "send p50",
                    "send p99", "send max");
            // Round 1 warms the JIT: judge by the later ones.
            for (int round = 1; round <= rounds; round++) {
                for (boolean tls : new boolean[] {false, true}) {
                    bench.run(round, tls, blocks, sends);
                }
            }
        } finally {
            bench.threads.shutdownNow();
        }
    }

    private void run(int round, boolean tls, int blocks, int sends) throws Exception {
        NodeIdentity aId = NodeIdentity.generate();
        NodeIdentity bId = NodeIdentity.generate();
        Instant at = Instant.ofEpochMilli(System.currentTimeMillis() - blocks - sends - 60_000);
        // A founds the group (its genesis at the clock's time) and admits B; B holds nothing of the group yet.
        MemoryLedger a = MemoryLedger.founding(aId, GROUP_NAME, Clock.systemUTC());
        MemoryLedger b = MemoryLedger.stranger(bId, a.groupId(), Clock.systemUTC());
        a.admit(bId, "B", at);
        // The memory store is one thread's: B's link thread commits, so this thread learns of B's blocks by listening.
        Set<String> storedAtB = ConcurrentHashMap.newKeySet();
        b.onStored(stored -> stored.forEach(s -> storedAtB.add(s.block().hash())));
        for (int i = 0; i < blocks; i++) {
            a.send("catch-up block " + i, at.plusMillis(i + 1));
        }
        // Everything A holds: the genesis, the invite and the admit, then the N messages.
        int catchUp = a.ordered().size();
        if (catchUp != blocks + 3) {
            throw new IllegalStateException("A holds " + catchUp + " blocks, not the genesis, invite, admit and "
                    + blocks + " messages");
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<PeerLink> linksOfA = new CopyOnWriteArrayList<>();
            a.onStored(stored -> Gossip.spreadStored(stored, linksOfA));
            long started = System.nanoTime();
            Socket dialled = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Socket accepted = server.accept();
            PeerLink fromA = link(tls ? PeerTls.create(aId, k -> true).overConnected(dialled, "127.0.0.1", server.getLocalPort())
                    : dialled, aId, a);
            PeerLink atB = link(tls ? PeerTls.create(bId, k -> true).overAccepted(accepted) : accepted, bId, b);
            linksOfA.add(fromA);
            await(() -> storedAtB.size() == catchUp, Duration.ofMinutes(5));
            double catchUpSeconds = (System.nanoTime() - started) / 1e9;
            long[] latencies = new long[sends];
            for (int i = 0; i < sends; i++) {
                long sent = System.nanoTime();
                Block block = a.send("live " + i, at.plusMillis(blocks + 1 + i));
                await(() -> storedAtB.contains(block.hash()), Duration.ofSeconds(30));
                latencies[i] = System.nanoTime() - sent;
            }
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "%-6d %-9s %9.0f blk/s %9.2f ms %9.2f ms %9.2f ms%n", round,
                    tls ? "TLS 1.3" : "plain", catchUp / catchUpSeconds, latencies[sends / 2] / 1e6,
                    latencies[sends * 99 / 100] / 1e6, latencies[sends - 1] / 1e6);
            if (!b.ordered().equals(a.ordered())) {
                throw new IllegalStateException("B's ledger differs from A's after the sends");
            }
            fromA.close();
            atB.close();
        }
    }

    private PeerLink link(Socket socket, NodeIdentity me, MemoryLedger ledger) {
        PeerLink link = new PeerLink(socket, LIMITS, out -> new PeerSession(
                new Handshake(me, ledger.groupId(), "n", Optional.empty(), new SecureRandom()), ledger, out, Limits.DEFAULT, 50),
                () -> { });
        link.start(threads);
        return link;
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + limit);
            }
            Thread.onSpinWait();
            Thread.sleep(0, 100_000);
        }
    }
}
