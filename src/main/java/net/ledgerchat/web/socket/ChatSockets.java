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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import net.ledgerchat.chat.BlockStored;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.config.Settings;
import net.ledgerchat.peer.PeerService;
import net.ledgerchat.peer.PeerStatus;

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

    public void onStored(@Observes BlockStored stored) {
        if (sessions.isEmpty()) {
            return;
        }
        String frame = ChatFrames.message(chat.toMessage(stored.stored()));
        scheduler.execute(() -> sessions.forEach(s -> send(s, frame)));
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
