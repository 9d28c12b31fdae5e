package net.ledgerchat.peer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import net.ledgerchat.chat.MemoryLedger;
import net.ledgerchat.membership.SeededKeys;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * Nodes and links in memory, driven by one seeded random source and a simulated clock: frames are
 * encoded and decoded as on the wire and delivered after random delays, sometimes twice; links reset,
 * partitions cut groups apart, nodes crash and restart (keeping what they committed). Each node runs
 * the real protocol ({@link PeerSession}, {@link Handshake}), stores through the node's own writer and commit path
 * ({@link MemoryLedger}: only the database is memory) and forwards what it committed through {@link Gossip}, as
 * the node does.
 */
final class SimNetwork {
    private final Random random;
    private final Clock clock = Clock.systemUTC();
    private final Instant epoch = Instant.ofEpochMilli(System.currentTimeMillis() - 120_000);
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final Set<String> sent = new LinkedHashSet<>();
    private final java.util.Map<String, Node> senders = new java.util.HashMap<>();
    private long now;
    /** Sends refused because the sender did not hold its own admit yet. */
    int refusedSends;
    private long sequence;
    boolean faults = true;
    double duplicate = 0.05;
    double reset = 0.01;

    private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    final class Node {
        final String name;
        final NodeIdentity identity;
        final MemoryLedger ledger;
        /** The founder's admit of this node (null for the founder). */
        Block admit;
        final List<Link> links = new ArrayList<>();
        boolean up = true;

        Node(String name, MemoryLedger ledger, NodeIdentity identity) {
            this.name = name;
            this.ledger = ledger;
            this.identity = identity;
            // As the node does: every committed group leaves through Gossip to every open link.
            ledger.onStored(blocks -> Gossip.spreadStored(blocks, openSessions()));
        }

        private List<PeerSession> openSessions() {
            List<PeerSession> sessions = new ArrayList<>();
            for (Link link : links) {
                PeerSession session = link.sessionOf(this);
                if (session != null) {
                    sessions.add(session);
                }
            }
            return sessions;
        }
    }

    final class Link {
        final Node a;
        final Node b;
        boolean cut;
        int generation;
        PeerSession sa;
        PeerSession sb;
        long lastToA;
        long lastToB;

        Link(Node a, Node b) {
            this.a = a;
            this.b = b;
        }

        PeerSession sessionOf(Node node) {
            return node == a ? sa : sb;
        }

        void connect() {
            if (cut || !a.up || !b.up || sa != null) {
                return;
            }
            int gen = ++generation;
            sa = session(a, b, gen);
            sb = session(b, a, gen);
            sa.open();
            sb.open();
        }

        void disconnect() {
            sa = null;
            sb = null;
            generation++;
        }

        private PeerSession session(Node self, Node other, int gen) {
            PeerSession.Outbox outbox = new PeerSession.Outbox() {
                @Override
                public void send(Frame frame) {
                    deliver(Link.this, other, gen, frame.encode());
                }

                @Override
                public void sendEncoded(byte[] frame) {
                    deliver(Link.this, other, gen, frame);
                }

                @Override
                public void close(String reason) {
                    if (generation == gen) {
                        disconnect();
                        later(200 + random.nextInt(800), Link.this::connect);
                    }
                }
            };
            Handshake handshake = new Handshake(self.identity, groupId(), self.name, Optional.of(other.identity.publicKey()),
                    new SecureRandom());
            return new PeerSession(handshake, self.ledger, outbox, Limits.DEFAULT, 5);
        }
    }

    SimNetwork(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /**
     * The first node founds the group; every later one starts empty and is admitted by the founder at once (before
     * any link), so it receives the whole history from whichever member serves it first.
     */
    Node addNode() {
        String name = "node-" + nodes.size();
        NodeIdentity identity = seededIdentity();
        Node node;
        if (nodes.isEmpty()) {
            node = new Node(name, MemoryLedger.founding(identity, "sim", clock), identity);
        } else {
            Node founder = nodes.get(0);
            node = new Node(name, MemoryLedger.stranger(identity, groupId(), clock), identity);
            try {
                node.admit = founder.ledger.admit(identity, name, epoch.plusMillis(now));
            } catch (BlockRejectedException e) {
                throw new AssertionError("the founder could not admit " + name + ": " + e.getMessage(), e);
            }
        }
        nodes.add(node);
        return node;
    }

    String groupId() {
        return nodes.get(0).ledger.groupId();
    }

    /** Keys drawn from the seed, so that a seed replays exactly. */
    private NodeIdentity seededIdentity() {
        return SeededKeys.identity(random);
    }

    void link(Node a, Node b) {
        Link link = new Link(a, b);
        links.add(link);
        a.links.add(link);
        b.links.add(link);
        later(random.nextInt(50), link::connect);
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Link> links() {
        return links;
    }

    Set<String> sent() {
        return sent;
    }

    /** The node whose send stored {@code hash}. */
    Node sentBy(String hash) {
        return senders.get(hash);
    }

    /** The simulated time as a clock would read it. */
    Instant at() {
        return epoch.plusMillis(now);
    }

    void later(long delay, Runnable action) {
        events.add(new Event(now + delay, sequence++, action));
    }

    private void deliver(Link link, Node to, int gen, byte[] wire) {
        long at = now + 1 + random.nextInt(30);
        // One link is one TCP stream: frames keep their order on it; different links race each other.
        if (to == link.a) {
            at = link.lastToA = Math.max(at, link.lastToA);
        } else {
            at = link.lastToB = Math.max(at, link.lastToB);
        }
        byte[] line = Arrays.copyOf(wire, wire.length - 1);
        events.add(new Event(at, sequence++, () -> receive(link, to, gen, line)));
        boolean data = new String(line, 0, Math.min(12, line.length), StandardCharsets.US_ASCII).startsWith("NEW_BLOCK")
                || new String(line, 0, Math.min(14, line.length), StandardCharsets.US_ASCII).startsWith("SYNC_RESPONSE");
        if (faults && data && random.nextDouble() < duplicate) {
            events.add(new Event(at + random.nextInt(200), sequence++, () -> receive(link, to, gen, line)));
        }
    }

    private void receive(Link link, Node to, int gen, byte[] line) {
        if (link.generation != gen || !to.up) {
            return;
        }
        if (faults && random.nextDouble() < reset) {
            link.disconnect();
            later(200 + random.nextInt(800), link::connect);
            return;
        }
        PeerSession session = link.sessionOf(to);
        if (session != null) {
            session.receive(line);
        }
    }

    void send(Node node, String text) {
        if (!node.up) {
            return;
        }
        try {
            Block block = node.ledger.send(text, epoch.plusMillis(now));
            sent.add(block.hash());
            senders.put(block.hash(), node);
        } catch (BlockRejectedException e) {
            // A node whose own admit has not reached it yet is not a member by what it holds: its page refuses too;
            // so does one whose repair still waits for blocks its membership needs.
            boolean repairing = !node.ledger.wantedBlocks().isEmpty();
            if (e.reason() != net.ledgerchat.ledger.RejectReason.NOT_ALLOWED
                    || node.ledger.isMember(node.identity.publicKey()) && !repairing) {
                throw new AssertionError("a member's local send was refused: " + e.getMessage() + "; heads "
                        + node.ledger.heads() + ", blocks " + node.ledger.ordered().size() + ", at " + now, e);
            }
            refusedSends++;
        }
    }

    /** Links the nodes other than {@code excluded} in a line where they were not linked, so that they stay connected without it. */
    void linkAround(Node excluded) {
        List<Node> others = nodes.stream().filter(n -> n != excluded).toList();
        for (int i = 0; i + 1 < others.size(); i++) {
            Node a = others.get(i);
            Node b = others.get(i + 1);
            if (links.stream().noneMatch(l -> l.a == a && l.b == b || l.a == b && l.b == a)) {
                link(a, b);
            }
        }
    }

    void crash(Node node, long downFor) {

        node.up = false;
        node.links.forEach(Link::disconnect);
        later(downFor, () -> {
            node.ledger.restart();
            node.up = true;
            node.links.forEach(Link::connect);
        });
    }

    /**
     * Deletes up to {@code count} of the node's committed blocks that another node also holds (a loss
     * nobody else can fill is not repairable), then runs its repair: it asks its peers at once.
     */
    void damage(Node node, int count) {
        if (!node.up) {
            return;
        }
        List<String> held = new ArrayList<>(node.ledger.ordered());
        java.util.Collections.shuffle(held, random);
        // Membership blocks are not deleted here: a node whose membership lost blocks judges blocks after them by
        // what is left until the repair puts them back, and may refuse the very sync batch that would (a known
        // limit, docs/membership.md); a restart with them missing is what MembershipRepairTest covers.
        List<String> lost = held.stream()
                .filter(h -> !node.ledger.isMembershipBlock(h))
                .filter(h -> nodes.stream().anyMatch(other -> other != node && other.ledger.holds(h)))
                .limit(count).toList();
        node.ledger.lose(lost);

        node.ledger.repair();
        for (Link link : node.links) {
            PeerSession session = link.sessionOf(node);
            if (session != null) {
                session.requestSync();
            }
        }
    }

    void syncEvery(long period) {
        for (Node node : nodes) {
            later(random.nextInt((int) period), () -> syncTick(node, period));
        }
    }

    private void syncTick(Node node, long period) {
        if (node.up) {
            for (Link link : node.links) {
                PeerSession session = link.sessionOf(node);
                if (session != null) {
                    session.requestSync();
                }
                link.connect();
            }
        }
        later(period, () -> syncTick(node, period));
    }

    void runUntil(long time) {
        while (!events.isEmpty() && events.peek().at() <= time) {
            Event event = events.poll();
            now = event.at();
            event.action().run();
        }
        now = time;
    }

    long now() {
        return now;
    }
}
