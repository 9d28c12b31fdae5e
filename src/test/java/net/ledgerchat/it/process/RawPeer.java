package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.peer.Frame;
import net.ledgerchat.peer.FrameException;
import net.ledgerchat.peer.Handshake;
import net.ledgerchat.peer.tls.PeerTls;

/**
 * A peer connection driven by hand: raw bytes out, the node's lines in, and, when asked, the real handshake
 * with the production {@link Handshake} and a key of its own. It speaks TLS 1.3 under a node key, as every
 * peer must ({@link #connect}), or plain TCP to attack the node in front of TLS ({@link #connectPlain}). Every
 * read is bounded in time, so a node that neither answers nor hangs up fails the test instead of hanging it.
 */
public final class RawPeer implements AutoCloseable {
    /** The frame types a node may send; anything else it sends is itself a failure. */
    private static final Set<String> TYPES = Set.of(Handshake.HELLO, Handshake.PROOF, "JOINED", "NEW_BLOCK",
            "SYNC_REQUEST", "SYNC_RESPONSE", "ERROR");
    /** Larger than any frame a node may send (1 MiB), so an over-long line from the node is caught, not buffered. */
    private static final int MAX_LINE = 2 * 1024 * 1024;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** How long the node may take to say what a test waits for, however many other frames it sends meanwhile. */
    private final Duration patience;

    private RawPeer(Socket socket, Duration patience) throws IOException {
        this.socket = socket;
        this.patience = patience;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code port} on loopback over TLS under a fresh key. A read waits at most {@code patience}, and
     * so does a wait for one kind of frame: the node's periodic SYNC_REQUESTs must not keep a test waiting for an
     * ERROR forever.
     */
    static RawPeer connect(int port, Duration patience) {
        return connect(port, patience, NodeIdentity.generate());
    }

    /** {@link #connect(int, Duration)} with TLS under {@code key}, the key a later {@link #handshake} must claim. */
    static RawPeer connect(int port, Duration patience, NodeIdentity key) {
        try {
            return connect(port, patience, PeerTls.create(key, peer -> true));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make TLS under " + key.publicKey(), e);
        }
    }

    /**
     * Connects over TLS made by {@code tls}: a second connection through the same instance resumes the session of
     * an earlier one (the JDK client offers the ticket the node sent), as a real node's link does.
     */
    static RawPeer connect(int port, Duration patience, PeerTls tls) {
        Socket socket = tcp(port, patience);
        try {
            SSLSocket link = tls.overConnected(socket, "127.0.0.1", port);
            PeerTls.handshake(link, patience);
            return new RawPeer(link, patience);
        } catch (IOException e) {
            closeAfterFailure(socket, e);
            throw new UncheckedIOException("no TLS handshake with the node's peer port " + port, e);
        }
    }

    /** When this link's TLS session began: equal on two links when the second resumed the first's session. */
    long sessionCreated() {
        return ((SSLSocket) socket).getSession().getCreationTime();
    }

    /** Plain TCP to the node's TLS port: what an attacker in front of TLS can do. */
    static RawPeer connectPlain(int port, Duration patience) {
        Socket socket = tcp(port, patience);
        try {
            return new RawPeer(socket, patience);
        } catch (IOException e) {
            closeAfterFailure(socket, e);
            throw new UncheckedIOException("cannot read from the node's peer port " + port, e);
        }
    }

    private static Socket tcp(int port, Duration patience) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout((int) patience.toMillis());
            return socket;
        } catch (IOException e) {
            closeAfterFailure(socket, e);
            throw new UncheckedIOException("cannot connect to the node's peer port " + port, e);
        }
    }

    /** How the node names this connection in its log: {@code /127.0.0.1:<our port>}. */
    String nodeSideName() {
        return "/" + socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to the node", e);
        }
    }

    void sendLine(String line) {
        send((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void send(Frame frame) {
        send(frame.encode());
    }

    /** The next line from the node without its newline, or null when the node closed the connection. */
    String readLine() throws IOException {
        return readLine(System.nanoTime() + patience.toNanos());
    }

    /** {@link #readLine()}, failing at {@code deadline} ({@link System#nanoTime()}) by a read timeout. */
    private String readLine(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("the node said nothing more, and did not hang up, within " + patience.toMillis()
                    + " ms");
        }
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node said nothing more, and did not hang up, within " + patience.toMillis()
                        + " ms; this line so far: " + line.toString(StandardCharsets.UTF_8), e);
            }
            if (b < 0) {
                if (line.size() > 0) {
                    fail("the node closed the connection inside a line: " + line.toString(StandardCharsets.UTF_8));
                }
                return null;
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() == MAX_LINE) {
                fail("the node sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /** The next frame from the node, decoded as strictly as the node decodes ours. */
    Frame readFrame() throws IOException {
        return readFrame(System.nanoTime() + patience.toNanos());
    }

    private Frame readFrame(long deadline) throws IOException {
        String line = readLine(deadline);
        assertNotNull(line, "the node closed the connection instead of sending a frame");
        try {
            return Frame.decode(line.getBytes(StandardCharsets.UTF_8), TYPES);
        } catch (FrameException e) {
            throw new AssertionError("the node sent something that is not a frame (" + e.getMessage() + "): " + line, e);
        }
    }

    /** Skips the node's other frames (its HELLO, a SYNC_REQUEST) until one of {@code type}. */
    Frame awaitFrame(String type) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Frame frame = readFrame(deadline);
            if (frame.type().equals(type)) {
                return frame;
            }
            if (frame.type().equals("ERROR")) {
                fail("expected " + type + ", the node refused: " + frame.body());
            }
        }
    }

    /** Skips the node's other frames until one of {@code types}, an ERROR included if asked for. */
    Frame awaitAnyOf(Set<String> types) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Frame frame = readFrame(deadline);
            if (types.contains(frame.type())) {
                return frame;
            }
        }
    }

    /** The reason of the ERROR frame the node sends before it hangs up; fails if it hangs up without one. */
    String awaitErrorReason() throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            String line = readLine(deadline);
            assertNotNull(line, "the node closed the connection without an ERROR frame");
            if (line.startsWith("ERROR:")) {
                Frame error = readError(line);
                return error.body().getString("reason");
            }
        }
    }

    private static Frame readError(String line) {
        try {
            Frame error = Frame.decode(line.getBytes(StandardCharsets.UTF_8), TYPES);
            assertTrue(error.body().containsKey("reason") && Set.of("reason", "detail").containsAll(error.body().keySet()),
                    "an ERROR frame names its reason, and perhaps a detail: " + line);
            return error;
        } catch (FrameException e) {
            throw new AssertionError("malformed ERROR frame from the node: " + line, e);
        }
    }

    /**
     * Reads until the node ends the connection and returns everything it sent meanwhile. A reset counts as
     * closed too: a node that hangs up on unread input (the rest of a 5 MB line) makes the kernel send one.
     * Fails if the connection is still open after {@code limit} from now.
     */
    String awaitClosed(Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("the node kept the connection " + nodeSideName() + " open for " + limit.toMillis()
                        + " ms more; it had sent: " + received.toString(StandardCharsets.UTF_8));
            }
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return received.toString(StandardCharsets.UTF_8);
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                fail("the node kept the connection " + nodeSideName() + " open for " + limit.toMillis()
                        + " ms more; it had sent: " + received.toString(StandardCharsets.UTF_8));
            } catch (SocketException e) {
                if (String.valueOf(e.getMessage()).contains("reset")) {
                    return received.toString(StandardCharsets.UTF_8);
                }
                throw e;
            } catch (javax.net.ssl.SSLException e) {
                // A node that hangs up without TLS's close_notify (a reset, or in front of TLS): closed all the same.
                return received.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * The real handshake, as a node would do it: read the node's HELLO, answer with ours and our PROOF, check
     * the node's PROOF, and wait for the SYNC_REQUEST the node sends once it has accepted ours, so anything
     * refused later is refused for what it is, not for coming too early.
     */
    void handshake(NodeIdentity me, String group, String name) throws IOException {
        authenticate(me, group, name);
        awaitFrame("SYNC_REQUEST");
    }

    /**
     * HELLO and PROOF both ways, nothing more: after it a member's link syncs, and a key the node does not know as a
     * member may send one JOIN and nothing else.
     */
    void authenticate(NodeIdentity me, String group, String name) throws IOException {
        Handshake mine = new Handshake(me, group, name, Optional.empty(), new SecureRandom());
        Frame theirHello = awaitFrame(Handshake.HELLO);
        send(mine.hello(List.of()));
        try {
            mine.receiveHello(theirHello);
            send(mine.proof());
            mine.receiveProof(awaitFrame(Handshake.PROOF));
        } catch (FrameException e) {
            throw new AssertionError("the node's side of the handshake is wrong: " + e.getMessage(), e);
        }
    }

    /** Presents {@code code}'s invite as {@code me} (after {@link #authenticate}): the node answers JOINED or an ERROR. */
    Frame join(InviteCode code, NodeIdentity me) throws IOException {
        send(new Frame("JOIN", jakarta.json.Json.createObjectBuilder().add("invite", code.invite())
                .add("proof", code.proofFor(me.publicKey())).build()));
        return awaitAnyOf(Set.of("JOINED", "ERROR"));
    }

    /** Joins the group behind {@code portOfMember} as {@code me} with {@code code}, as a node started with INVITE does. */
    public static void joinAs(NodeIdentity me, String name, int portOfMember, String code, String group, Duration patience)
            throws IOException {
        try (RawPeer peer = connect(portOfMember, patience, me)) {
            peer.authenticate(me, group, name);
            Frame answer = peer.join(parse(code), me);
            if (!answer.type().equals("JOINED")) {
                throw new AssertionError("the invite was refused: " + answer.body());
            }
        }
    }

    public static InviteCode parse(String code) {
        try {
            return InviteCode.parse(code);
        } catch (InviteCode.InvalidInviteCode e) {
            throw new AssertionError("the node made an invite code that does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + nodeSideName(), e);
        }
    }

    private static void closeAfterFailure(Socket socket, IOException cause) {
        try {
            socket.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
