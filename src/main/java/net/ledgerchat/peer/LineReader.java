package net.ledgerchat.peer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-terminated lines from a peer, each at most {@code maxBytes} long, and never holds
 * more than that: a peer sending 5 MB without a newline is refused at {@code maxBytes + 1}, not
 * buffered. A trailing carriage return is dropped, so a person typing with netcat is understood.
 * Not thread-safe: one reader per connection.
 */
public final class LineReader {
    private static final int INITIAL = 8 * 1024;
    private final InputStream in;
    private final int maxBytes;
    private byte[] line = new byte[INITIAL];

    /** {@code in} should be buffered: this reads it a byte at a time. */
    public LineReader(InputStream in, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its terminator, or null when the stream ends cleanly between lines. */
    public byte[] readLine() throws IOException, FrameException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new FrameException(FrameException.Reason.TRUNCATED, "the stream ended inside a frame of "
                        + length + " bytes");
            }
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return Arrays.copyOf(line, length);
            }
            if (length == maxBytes) {
                throw new FrameException(FrameException.Reason.OVERSIZE, "a frame longer than " + maxBytes + " bytes");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
            }
            line[length++] = (byte) b;
        }
    }
}
