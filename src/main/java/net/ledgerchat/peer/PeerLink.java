package net.ledgerchat.peer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.peer.tls.NodeKeys;

/**
 * One TCP connection to a peer, carrying one {@link PeerSession}. A reader task reads bounded lines
 * and hands them to the session; a writer task drains a bounded queue of outgoing frames, so a slow
 * peer never blocks the node (when its queue is full the link is closed and the peer catches up by
 * sync later). A peer that does not finish the handshake in time, or stays silent longer than the
 * idle limit, is closed, so it cannot hold a slot: the handshake deadline is kept by the writer, which
 * wakes at least every second, because a read timeout only bounds each read and a peer trickling one
 * byte at a time would never trip it. All calls into the session are serialized.
 *
 * <p>Over TLS (every link a node makes) the reader runs the TLS handshake first, under the same deadline, and
 * tells the session the key TLS authenticated, which the peer's HELLO must then claim; the writer sends nothing
 * until then, so no protocol byte leaves the node in plaintext and a handshake that never completes is cut off
 * by the writer's deadline like any other.
 */
public final class PeerLink implements AutoCloseable, Gossip.Link {
    private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());
    private static final byte[] CLOSE = new byte[0];
    private final Socket socket;
    private final String remote;
    private final int maxFrameBytes;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final BlockingQueue<byte[]> outgoing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;
    private final java.util.function.Consumer<PeerLink> onReady;
    private final boolean outbound;
    private final PeerSession session;
    private volatile long lastSeen;
    /** {@link System#nanoTime()} by which the peer must have proved its key; set when the link starts. */
    private volatile long handshakeDeadline;
    /** Open once the transport is up: at once over plain TCP, after the TLS handshake over TLS. */
    private final CountDownLatch transportUp = new CountDownLatch(1);

    /** Limits for one link: frame size, time to authenticate, silence allowed, frames that may wait to be sent. */
    public record Limits(int maxFrameBytes, Duration handshakeTimeout, Duration idleTimeout, int queuedFrames) {
    }

    /**
     * {@code sessionFor} builds the session with this link's outbox. {@code onClose} runs once, when the
     * link ends for any reason (the node frees the slot and maybe dials again).
     */
    public PeerLink(Socket socket, Limits limits, Function<PeerSession.Outbox, PeerSession> sessionFor, Runnable onClose) {
        this(socket, false, limits, sessionFor, link -> { }, onClose);
    }

    /** {@code outbound}: this node dialled. {@code onReady} runs once the peer has proved its key. */
    public PeerLink(Socket socket, boolean outbound, Limits limits, Function<PeerSession.Outbox, PeerSession> sessionFor,
                    java.util.function.Consumer<PeerLink> onReady, Runnable onClose) {
        this.outbound = outbound;
        this.onReady = onReady;
        this.socket = socket;
        this.remote = socket.getRemoteSocketAddress().toString();
        this.maxFrameBytes = limits.maxFrameBytes();
        this.handshakeTimeout = limits.handshakeTimeout();
        this.idleTimeout = limits.idleTimeout();
        this.outgoing = new ArrayBlockingQueue<>(limits.queuedFrames());
        this.onClose = onClose;
        this.session = sessionFor.apply(new PeerSession.Outbox() {
            @Override
            public void send(Frame frame) {
                enqueue(frame.encode());
            }

            @Override
            public void sendEncoded(byte[] frame) {
                enqueue(frame);
            }

            @Override
            public void close(String reason) {
                // The session has just queued its ERROR frame: let the writer send it before the socket closes.
                closeAfterFlush(reason);
            }
        });
    }

    /** Starts the reader and writer tasks and says HELLO. */
    public void start(Executor executor) {
        handshakeDeadline = System.nanoTime() + handshakeTimeout.toNanos();
        // HELLO is queued before anything is read, so it always goes out before the PROOF that answers the peer.
        synchronized (session) {
            session.open();
        }
        executor.execute(NamedTask.named("peer-write " + remote, this::writeLoop));
        executor.execute(NamedTask.named("peer-read " + remote, this::readLoop));
    }

    public PeerSession session() {
        return session;
    }

    public String remote() {
        return remote;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    public boolean outbound() {
        return outbound;
    }

    /** When the last frame arrived (epoch milliseconds), 0 before any. */
    public long lastSeen() {
        return lastSeen;
    }

    /**
     * Queues a stored block for the peer without taking the session's lock: the writer announces blocks while
     * it commits, and a reader holding the lock may be waiting for that very commit. {@code frame} gives
     * {@link PeerSession#forwardFrame}'s bytes, encoded once for all links and only if a link takes it.
     */
    @Override
    public void forward(Block block, java.util.function.Supplier<byte[]> frame) {
        if (!closed.get()) {
            session.forward(block, frame);
        }
    }

    /** Runs {@code action} on the session, serialized with the frames the reader delivers. */
    /** Without the session's lock, like {@link #forward}: the writer calls it while it commits. */
    @Override
    public void membershipChanged() {
        if (!closed.get()) {
            session.membershipChanged();
        }
    }

    public void withSession(java.util.function.Consumer<PeerSession> action) {
        synchronized (session) {
            if (!closed.get()) {
                action.accept(session);
            }
        }
    }

    private void enqueue(byte[] frame) {
        if (!outgoing.offer(frame)) {
            closeQuietly("the peer is too slow: " + outgoing.size() + " frames wait to be sent");
        }
    }

    private void readLoop() {
        try {
            socket.setSoTimeout((int) handshakeTimeout.toMillis());
            if (socket instanceof SSLSocket tls && !handshakeTls(tls)) {
                return;
            }
            transportUp.countDown();
            LineReader reader = new LineReader(new BufferedInputStream(socket.getInputStream()), maxFrameBytes);
            boolean authenticated = false;
            while (!closed.get()) {
                byte[] line = reader.readLine();
                if (line == null) {
                    closeQuietly("the peer closed the connection");
                    return;
                }
                lastSeen = System.currentTimeMillis();
                boolean nowReady;
                synchronized (session) {
                    session.receive(line);
                    nowReady = !authenticated && session.ready();
                }
                if (nowReady) {
                    authenticated = true;
                    socket.setSoTimeout((int) idleTimeout.toMillis());
                    onReady.accept(this);
                }
            }
        } catch (SocketTimeoutException e) {
            closeQuietly(session.ready() ? "silent for " + idleTimeout.toSeconds() + " s" : noHandshake());
        } catch (FrameException e) {
            synchronized (session) {
                // The frame never reached the session: answer for it here.
                enqueue(new Frame("ERROR", JsonP.PROVIDER.createObjectBuilder().add("reason", e.reason().name())
                        .build()).encode());
            }
            LOG.warning(() -> "[TCP] Refused a frame from " + remote + ": " + e.getMessage());
            closeAfterFlush(e.getMessage());
        } catch (IOException e) {
            closeQuietly("read failed: " + e.getMessage());
        }
    }

    /** The TLS handshake; false (and the link closed) if it fails or the peer's certificate is not a node's. */
    private boolean handshakeTls(SSLSocket tls) throws IOException {
        try {
            tls.startHandshake();
            String key = NodeKeys.peerKey(tls.getSession());
            synchronized (session) {
                session.linkAuthenticated(key);
            }
            LOG.fine(() -> "[TCP] TLS link " + remote + " up (" + tls.getSession().getProtocol() + ", "
                    + tls.getSession().getCipherSuite() + ") with key " + key);
            return true;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            closeQuietly("TLS handshake failed: " + e.getMessage());
            return false;
        }
    }

    /** Waits until the transport is up; false when the link closed or missed its handshake deadline meanwhile. */
    private boolean awaitTransport() throws InterruptedException {
        while (!transportUp.await(pollMillis(), TimeUnit.MILLISECONDS)) {
            if (closed.get()) {
                return false;
            }
            if (System.nanoTime() - handshakeDeadline >= 0) {
                closeQuietly(noHandshake());
                return false;
            }
        }
        return true;
    }

    private void writeLoop() {
        try (OutputStream out = socket.getOutputStream()) {
            if (!awaitTransport()) {
                return;
            }
            while (true) {
                byte[] frame = outgoing.poll(pollMillis(), TimeUnit.MILLISECONDS);
                if (frame == CLOSE || (frame == null && closed.get())) {
                    return;
                }
                if (frame != null) {
                    out.write(frame);
                    if (outgoing.isEmpty()) {
                        out.flush();
                    }
                }
                // Once closing, the queued ERROR frame and CLOSE still have to go out: only an open link expires.
                if (!closed.get() && !session.ready() && System.nanoTime() - handshakeDeadline >= 0) {
                    closeQuietly(noHandshake());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly("interrupted");
        } catch (IOException e) {
            closeQuietly("write failed: " + e.getMessage());
        } finally {
            closeSocket();
        }
    }

    /** How long the writer waits for a frame: a second, or less when the handshake deadline comes sooner. */
    private long pollMillis() {
        if (session.ready()) {
            return 1_000;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(handshakeDeadline - System.nanoTime());
        return Math.max(1, Math.min(1_000, left));
    }

    private String noHandshake() {
        return "no handshake within " + handshakeTimeout.toSeconds() + " s";
    }

    private void closeAfterFlush(String reason) {
        if (closed.compareAndSet(false, true)) {
            LOG.info(() -> "[TCP] Closing link " + remote + ": " + reason);
            // The writer sends what is queued (the ERROR frame) and then closes the socket.
            outgoing.offer(CLOSE);
            onClose.run();
        }
    }

    private void closeQuietly(String reason) {
        if (closed.compareAndSet(false, true)) {
            LOG.info(() -> "[TCP] Closing link " + remote + ": " + reason);
            closeSocket();
            // Without the session's lock: its reader may hold it, waiting on a commit.
            session.transportClosed();
            onClose.run();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "[TCP] Closing the socket to " + remote, e);
        }
    }

    @Override
    public void close() {
        closeQuietly("closed by this node");
    }
}
