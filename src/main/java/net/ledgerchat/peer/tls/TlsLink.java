package net.ledgerchat.peer.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS 1.3 connection whose handshake is done, with the peer's verified node key. The line protocol
 * runs over {@link #in()} and {@link #out()} exactly as over a plain socket; the socket itself is an
 * ordinary {@link java.net.Socket} to code that only reads, writes, sets timeouts and closes.
 */
public record TlsLink(SSLSocket socket, String peerKey) implements AutoCloseable {
    /** Decrypted bytes from the peer. */
    public InputStream in() throws IOException {
        return socket.getInputStream();
    }

    /** Bytes to the peer, encrypted per write: wrap it in a buffer and flush per frame. */
    public OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    public SSLSession session() {
        return socket.getSession();
    }

    /** Sends TLS close_notify and closes the underlying socket. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
