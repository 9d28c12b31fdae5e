package net.ledgerchat.bench;

import jakarta.json.spi.JsonProvider;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/messages} (or a {@code GET}) over one kept-alive HTTP/1.1 socket, the way a lean load generator (wrk, ab)
 * speaks it: no client thread pool, no selector, the request written and the answer read on the calling
 * thread. It reopens the socket when the server closes it (Grizzly ends a kept-alive connection after a
 * number of requests). Not thread-safe: one per sending thread.
 */
final class LeanHttpSender implements AutoCloseable {
    private static final int MAX_HEADER_LINE = 8192;
    /** Looked up once: {@code Json.create*} asks the ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    LeanHttpSender(String base) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** Sends one message; returns the HTTP status. */
    int send(String text) throws IOException {
        byte[] body = JSON.createObjectBuilder().add("text", text).build().toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /api/messages HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(head, body);
    }

    /** One {@code GET} of {@code path} on the same socket; returns the HTTP status. */
    int get(String path) throws IOException {
        byte[] head = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return exchange(head, new byte[0]);
    }

    private int exchange(byte[] head, byte[] body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                connectIfClosed();
                out.write(head);
                out.write(body);
                out.flush();
                return readResponse();
            } catch (EOFException e) {
                // The server closed a kept-alive connection between two requests: reopen once, then give up.
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connectIfClosed() throws IOException {
        if (socket == null) {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }
    }

    private int readResponse() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                skip(size);
                line();
            }
            line();
        } else if (length >= 0) {
            skip(length);
        } else {
            throw new IOException("an answer with neither Content-Length nor chunked encoding");
        }
        if (closing) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        in.skipNBytes(n);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the node");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > MAX_HEADER_LINE) {
                throw new IOException("header line longer than " + MAX_HEADER_LINE);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a socket the node may already have closed: nothing to recover.
            }
            socket = null;
        }
    }
}
