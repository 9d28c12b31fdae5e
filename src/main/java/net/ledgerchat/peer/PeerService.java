package net.ledgerchat.peer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import net.ledgerchat.config.Settings;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.peer.tls.PeerTls;

/**
 * The node's peer network: the listener on TCP_SERVER_PORT and one dialler per peer of the peers file,
 * all on the managed executor, started with the application and closed with it. Its links are kept in
 * {@link PeerLinks}, which sends every block the node stores (its own, or from any link) to every linked
 * peer; every SYNC_INTERVAL each link asks for what is missing. Two nodes that dial each other keep one link: the one dialled by the smaller key.
 * Every link is TLS 1.3, both sides authenticated by their node keys ({@link PeerTls}); the key TLS authenticated
 * is the one the peer's HELLO must claim.
 */
@Singleton
@Startup
@DependsOn("LedgerFormatCheck")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// Nothing here writes the database (the writer runs its own transactions): a container transaction around the
// sync timer and each call would be pure cost.
@TransactionManagement(TransactionManagementType.BEAN)
public class PeerService {
    private static final Logger LOG = Logger.getLogger(PeerService.class.getName());
    static final int MAX_FRAME_BYTES = 1024 * 1024;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    /** Connections past MAX_CLIENTS told why at once (each costs a TLS handshake); beyond that they are just closed. */
    private static final int CONCURRENT_REFUSALS = 16;

    @Resource
    private ManagedExecutorService executor;
    @Resource
    private TimerService timers;
    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    @Inject
    private ContainerLedger ledger;

    @Inject
    private PeerLinks links;
    private final java.util.Map<PeerAddress, PeerLink> dialled = new java.util.concurrent.ConcurrentHashMap<>();
    /** The key each configured peer proved (or is pinned to): its link may be the one it dialled. */
    private final java.util.Map<PeerAddress, String> learned = new java.util.concurrent.ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Semaphore refusals = new Semaphore(CONCURRENT_REFUSALS);
    private PeerTls tls;
    private volatile boolean running;
    private ServerSocket server;
    private volatile List<PeerAddress> peers = List.of();
    private PeerLink.Limits limits;

    @PostConstruct
    void start() {
        limits = new PeerLink.Limits(MAX_FRAME_BYTES, HANDSHAKE_TIMEOUT, settings.syncInterval().multipliedBy(3)
                .plusSeconds(10), 10_000);
        try {
            peers = PeersFile.read(settings.peersFile());
            peers = withContacts(ledger.joiningCode().map(InviteCode::contacts).orElse(List.of()));
            // Any key may complete the TLS handshake; what it may do is decided after it, by the key it proved.
            tls = PeerTls.create(identity, key -> true);
            server = BindAddress.listen(settings, 50);
        } catch (PeersFileException | IOException | GeneralSecurityException e) {
            throw new IllegalStateException("[TCP] Cannot start the peer network: " + e.getMessage(), e);
        }
        running = true;
        executor.execute(NamedTask.named("peer-listener :" + settings.tcpPort(), this::acceptLoop));
        for (PeerAddress peer : peers) {
            executor.execute(NamedTask.named("peer-dial " + peer, () -> dialLoop(peer)));
        }
        long period = settings.syncInterval().toMillis();
        timers.createIntervalTimer(period, period, new TimerConfig("peer-sync", false));
        LOG.info(() -> "[TCP] Listening for peers on " + server.getLocalSocketAddress() + "; " + peers.size()
                + " peer(s) to dial");
    }

    /**
     * The peers to dial with the members an invite names (each pinned to the key the invite gives) that are not
     * among them yet: a joining node dials those too.
     */
    private List<PeerAddress> withContacts(List<InviteCode.Contact> contacts) {
        List<PeerAddress> all = new java.util.ArrayList<>(peers);
        for (InviteCode.Contact contact : contacts) {
            if (all.stream().noneMatch(p -> p.port() == contact.port() && sameHost(p.host(), contact.host()))) {
                all.add(new PeerAddress(contact.host(), contact.port(), Optional.of(contact.key())));
            }
        }
        return List.copyOf(all);
    }

    /** Whether two host names name one machine ("localhost" and "127.0.0.1"): one member is dialled once, not twice. */
    private static boolean sameHost(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * The node left the group it had founded to join the group of {@code code}: links of the old group close, and the
     * members the invite names are dialled (each pinned to its key), as a node started with INVITE does.
     */
    public void joinVia(InviteCode code) {
        links.all().forEach(PeerLink::close);
        List<PeerAddress> before = peers;
        peers = withContacts(code.contacts());
        for (PeerAddress peer : peers.subList(before.size(), peers.size())) {
            executor.execute(NamedTask.named("peer-dial " + peer, () -> dialLoop(peer)));
        }
        LOG.info(() -> "[TCP] Joining through " + code.contacts().size() + " member(s) the invite names");
    }

    @PreDestroy
    void stop() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.fine(() -> "[TCP] Closing the listener: " + e.getMessage());
        }
        links.all().forEach(PeerLink::close);
    }

    @Timeout
    void syncAll(Timer timer) {
        links.requestSyncAll();
    }

    /** What GET /api/peers shows: the configured peers, then any other linked node. */
    public List<PeerStatus> peers() {
        List<String> heads = ledger.heads();
        List<PeerStatus> status = new java.util.ArrayList<>();
        java.util.Set<PeerLink> shown = new java.util.HashSet<>();
        for (PeerAddress peer : peers) {
            String key = learned.get(peer);
            Optional<PeerLink> link = Optional.ofNullable(dialled.get(peer)).filter(l -> l.session().ready())
                    .or(() -> links.all().stream().filter(l -> l.session().ready() && key != null
                            && key.equals(l.session().peerKey())).findFirst());
            link.ifPresent(shown::add);
            status.add(PeerStatus.of(peer.host(), peer.port(), link, heads));
        }
        for (PeerLink link : links.all()) {
            if (!shown.contains(link) && link.session().ready()) {
                status.add(PeerStatus.of(link.remote(), 0, Optional.of(link), heads));
            }
        }
        return status;
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = server.accept();
                long inbound = links.all().stream().filter(l -> !l.outbound()).count();
                if (inbound >= settings.maxClients()) {
                    LOG.warning(() -> "[TCP] Refused " + socket.getRemoteSocketAddress() + ": " + inbound
                            + " links, MAX_CLIENTS is " + settings.maxClients());
                    refuse(socket, "MAX_CLIENTS is " + settings.maxClients());
                    continue;
                }
                open(tls.overAccepted(socket), false, Optional.empty(), () -> { });
            } catch (IOException e) {
                if (running) {
                    LOG.warning(() -> "[TCP] Accepting a peer failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Tells a peer past MAX_CLIENTS why before hanging up, so it logs a reason instead of a bare reset: inside TLS,
     * like every protocol byte, on a task of its own bounded by the handshake deadline, so the accept loop never
     * waits on it. At most {@value #CONCURRENT_REFUSALS} at once; past that a connection is closed unanswered.
     */
    private void refuse(Socket socket, String detail) {
        if (!refusals.tryAcquire()) {
            closeUnanswered(socket);
            return;
        }
        String remote = String.valueOf(socket.getRemoteSocketAddress());
        try {
            executor.execute(NamedTask.named("peer-refuse " + remote, () -> {
                try (Socket plain = socket; SSLSocket refused = tls.overAccepted(plain)) {
                    PeerTls.handshake(refused, HANDSHAKE_TIMEOUT);
                    refused.getOutputStream().write(new Frame("ERROR", JsonP.PROVIDER.createObjectBuilder()
                            .add("reason", "TOO_MANY_PEERS").add("detail", detail).build()).encode());
                    refused.getOutputStream().flush();
                } catch (IOException e) {
                    LOG.fine(() -> "[TCP] Could not tell " + remote + " it was refused: " + e.getMessage());
                } finally {
                    refusals.release();
                }
            }));
        } catch (RuntimeException e) {
            refusals.release();
            LOG.warning(() -> "[TCP] Could not hand the refusal of " + remote + " to a task: " + e.getMessage());
            closeUnanswered(socket);
        }
    }

    private static void closeUnanswered(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.fine(() -> "[TCP] Closing " + socket.getRemoteSocketAddress() + ": " + e.getMessage());
        }
    }

    private void dialLoop(PeerAddress peer) {
        Backoff backoff = new Backoff(settings.retryDelay(), settings.maxRetries());
        int failures = 0;
        String learnedKey = peer.key().orElse(null);
        peer.key().ifPresent(k -> learned.put(peer, k));
        while (running) {
            if (learnedKey != null && linkedTo(learnedKey)) {
                // The peer dialled us and that link won: nothing to do until it ends.
                if (!sleep(settings.syncInterval())) {
                    return;
                }
                continue;
            }
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(peer.host(), peer.port()), CONNECT_TIMEOUT_MS);
                LOG.info(() -> "[TCP] Connected to " + peer);
                PeerLink link = open(tls.overConnected(socket, peer.host(), peer.port()), true, peer.key(), closed::countDown);
                dialled.put(peer, link);
                closed.await();
                dialled.remove(peer, link);
                learnedKey = link.session().peerKey() != null ? link.session().peerKey() : learnedKey;
                if (learnedKey != null) {
                    learned.put(peer, learnedKey);
                }
                // A peer that refused this node (removed from the group, or an invite it will not take) is dialled
                // less and less often, like one that cannot be reached, instead of every RETRY_DELAY for good.
                failures = link.session().refusedByPeer() ? failures + 1 : 0;
            } catch (IOException e) {
                closeUnanswered(socket);
                failures++;
                int attempt = failures;
                LOG.fine(() -> "[TCP] Cannot reach " + peer + " (attempt " + attempt + "): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!sleep(backoff.after(Math.max(1, failures), random))) {
                return;
            }
        }
    }

    private boolean linkedTo(String key) {
        return links.all().stream().anyMatch(l -> l.session().ready() && key.equals(l.session().peerKey()));
    }

    private PeerLink open(Socket socket, boolean outbound, Optional<String> pin, Runnable closed) {
        PeerLink[] self = new PeerLink[1];
        PeerLink link = new PeerLink(socket, outbound, limits, out -> new PeerSession(
                new Handshake(identity, ledger.groupId(), settings.clientName(), pin, random),
                ledger, out, settings.limits(), settings.syncBatchSize()),
                this::keepOneLinkPerPeer, () -> {
                    links.remove(self[0]);
                    closed.run();
                });
        self[0] = link;
        links.add(link);
        link.start(executor);
        return link;
    }

    /** Both nodes apply the same rule, so exactly one of two crossing links survives. */
    private void keepOneLinkPerPeer(PeerLink ready) {
        String peerKey = ready.session().peerKey();
        boolean iDialFirst = identity.publicKey().compareTo(peerKey) < 0;
        for (PeerLink other : links.all()) {
            if (other != ready && other.session().ready() && peerKey.equals(other.session().peerKey())) {
                PeerLink loser = (other.outbound() == iDialFirst) ? ready : other;
                LOG.info(() -> "[TCP] Two links to " + peerKey + "; closing the one " + (loser.outbound() ? "dialled by"
                        : "dialled to") + " this node");
                loser.close();
                return;
            }
        }
        LOG.info(() -> "[TCP] Linked with " + ready.session().peerName() + " (" + peerKey + ") at " + ready.remote());
    }

    private boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
