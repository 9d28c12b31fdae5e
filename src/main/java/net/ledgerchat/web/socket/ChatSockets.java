package net.ledgerchat.web.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.chat.BlocksStored;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.config.Settings;
import net.ledgerchat.peer.NamedTask;
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
    private static final int PUSH_BACKLOG = 20_000;

    @Inject
    private ChatService chat;
    @EJB
    private PeerService peers;
    @Inject
    private Settings settings;
    @Resource
    private ManagedScheduledExecutorService scheduler;
    @Resource
    private ManagedExecutorService executor;

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> lastStatus = new AtomicReference<>("");
    private final BlockingQueue<StoredBlock> toPush = new LinkedBlockingQueue<>(PUSH_BACKLOG);
    private ScheduledFuture<?> statusTask;
    private Future<?> pusher;

    @PostConstruct
    void start() {
        statusTask = scheduler.scheduleWithFixedDelay(this::pushStatusIfChanged, STATUS_PERIOD_MILLIS,
                STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        pusher = executor.submit(NamedTask.named("chat-push", this::pushLoop));
    }

    @PreDestroy
    void stop() {
        statusTask.cancel(false);
        pusher.cancel(true);
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
     * Runs on the writer's committing thread, so it only queues: one long-lived pusher builds the frames
     * and sends them in commit order. (A task per block cost a quarter of a receiving node's samples in
     * the managed executor's context capture.) Pages that cannot keep up with a burst are closed: a page
     * catches up by itself when it reconnects, which beats a backlog without bound.
     */
    public void onStored(@Observes BlocksStored stored) {
        if (sessions.isEmpty()) {
            return;
        }
        // The committing thread is the only one that adds, so the room it sees cannot shrink under it.
        if (toPush.remainingCapacity() >= stored.blocks().size()) {
            toPush.addAll(stored.blocks());
        } else {
            toPush.clear();
            LOG.warning(() -> "[Web] More than " + PUSH_BACKLOG + " messages waited for the chat pages; closing "
                    + sessions.size() + " page(s) so they reconnect and catch up");
            sessions.forEach(ChatSockets::closeToCatchUp);
        }
    }

    private void pushLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                StoredBlock next = toPush.take();
                try {
                    chat.shownMessage(next).map(ChatFrames::message).ifPresent(frame -> sessions.forEach(s -> send(s, frame)));
                } catch (RuntimeException e) {
                    // One block that cannot be shown must not stop the pushes of all the others.
                    LOG.log(Level.WARNING, "[Web] Could not push block " + next.block().hash() + " to the chat pages", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeToCatchUp(Session session) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many messages at once: reconnect"));
        } catch (IOException e) {
            LOG.fine(() -> "[Web] Closing a chat page that fell behind: " + e.getMessage());
        }
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
