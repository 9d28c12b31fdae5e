package net.ledgerchat.peer.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A server socket on 127.0.0.1, an ephemeral port, and a thread per accepted connection. Every wait
 * is bounded by {@link #WAIT}, and every socket has it as its read timeout, so no test can hang.
 */
final class Loopback implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String HOST = "127.0.0.1";

    /** What the server does with one accepted socket; what it returns or throws is the test's to judge. */
    interface Side<T> {
        T run(Socket accepted) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    Loopback() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accepts the next connection and runs {@code side} on it in a thread; the socket is closed after. */
    <T> Future<T> serve(Side<T> side) {
        return threads.submit(() -> {
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout((int) WAIT.toMillis());
                return side.run(accepted);
            }
        });
    }

    /** A plain TCP connection to the server, with {@link #WAIT} as its read timeout. */
    Socket dial() throws IOException {
        Socket socket = new Socket();
        socket.connect(server.getLocalSocketAddress(), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** The client side of a foreign TLS context over a fresh connection, handshake not yet started. */
    SSLSocket dial(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(dial(), HOST, port(), true);
        socket.setUseClientMode(true);
        return socket;
    }

    /** A node's client link over a fresh connection, handshake done. */
    TlsLink dial(PeerTls tls) throws IOException {
        return PeerTls.handshake(tls.overConnected(dial(), HOST, port()), WAIT);
    }

    /** The server side's result, or what it threw (unwrapped), within {@link #WAIT}. */
    static <T> T await(Future<T> side) throws Exception {
        try {
            return side.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() throws IOException {
        threads.shutdownNow();
        server.close();
    }
}
