package net.ledgerchat.web.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import net.ledgerchat.chat.BlockStored;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.config.Settings;
import net.ledgerchat.peer.PeerService;
import net.ledgerchat.peer.PeerStatus;
import net.ledgerchat.store.StoredBlock;

/**
 * The open chat pages. Every stored message (local or from a peer) goes to each of them, and the
 * node's status whenever it changes. Sends are asynchronous and run on the managed executor: the
 * writer announces blocks while it commits, and a slow browser must never hold it up.
 */
@ApplicationScoped
public class ChatSockets {
    private static final Logger LOG = Logger.getLogger(ChatSockets.class.getName());
    private static final long STATUS_PERIOD_MILLIS = 1_000;

    @Inject
    private ChatService chat;
    @Inject
    private PeerService peers;
    @Inject
    private Settings settings;
    @Resource
    private ManagedScheduledExecutorService scheduler;

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> lastStatus = new AtomicReference<>("");
    private final Queue<StoredBlock> toPush = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private ScheduledFuture<?> statusTask;

    @PostConstruct
    void start() {
        statusTask = scheduler.scheduleWithFixedDelay(this::pushStatusIfChanged, STATUS_PERIOD_MILLIS,
                STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        statusTask.cancel(false);
    }

    ChatFrames frames() {
        return new ChatFrames(chat);
    }

    void opened(Session session) {
        sessions.add(session);
        send(session, ChatFrames.status(status()));
    }

    void closed(Session session) {
        sessions.remove(session);
    }

    /**
     * Runs on the writer's committing thread, so it only queues: one drain task at a time builds the
     * frames and sends them, which keeps the commit short and the pages' order the commit order.
     */
    public void onStored(@Observes BlockStored stored) {
        if (sessions.isEmpty()) {
            return;
        }
        toPush.add(stored.stored());
        if (draining.compareAndSet(false, true)) {
            scheduler.execute(this::drain);
        }
    }

    private void drain() {
        do {
            try {
                StoredBlock next;
                while ((next = toPush.poll()) != null) {
                    String frame = ChatFrames.message(chat.toMessage(next));
                    sessions.forEach(s -> send(s, frame));
                }
            } finally {
                draining.set(false);
            }
            // A block queued after the last poll but before the flag dropped would otherwise wait for the next one.
        } while (!toPush.isEmpty() && draining.compareAndSet(false, true));
    }

    /** Sends a frame to one page; a page that went away is forgotten. */
    void send(Session session, String frame) {
        if (!session.isOpen()) {
            sessions.remove(session);
            return;
        }
        session.getAsyncRemote().sendText(frame, result -> {
            if (!result.isOK()) {
                LOG.fine(() -> "[Web] A chat page missed a frame: " + result.getException());
            }
        });
    }

    private void pushStatusIfChanged() {
        if (sessions.isEmpty()) {
            return;
        }
        String frame = ChatFrames.status(status());
        if (!frame.equals(lastStatus.getAndSet(frame))) {
            sessions.forEach(s -> send(s, frame));
        }
    }

    private NodeStatus status() {
        List<PeerStatus> all = peers.peers();
        List<PeerStatus> linked = all.stream().filter(PeerStatus::connected).toList();
        return new NodeStatus(settings.clientName(), linked.size(), all.size(), linked.stream().allMatch(PeerStatus::inSync));
    }
}
