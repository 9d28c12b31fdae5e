package net.ledgerchat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The machine's floor for any request and answer over loopback: one byte to a thread of this JVM and back
 * over TCP (TCP_NODELAY on both ends), paced like the sends it is compared with. At one round trip per
 * 50 ms both threads are asleep when the byte comes, so this includes their wake-up, as every node's does.
 */
final class LoopbackRoundTrip {
    private LoopbackRoundTrip() {
    }

    /** {@code samples} round trips, one per {@code periodNanos}; their durations, sorted. */
    static long[] measure(int samples, long periodNanos) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            Thread echo = new Thread(() -> echo(server), "bench-tcp-echo");
            echo.setDaemon(true);
            echo.start();
            long[] took = new long[samples];
            try (Socket socket = new Socket(loopback, server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                long t0 = System.nanoTime();
                for (int i = 0; i < samples; i++) {
                    LatencyBench.pace(t0, i, periodNanos);
                    long began = System.nanoTime();
                    out.write(i);
                    if (in.read() < 0) {
                        throw new IOException("the echo thread closed the socket");
                    }
                    took[i] = System.nanoTime() - began;
                }
            }
            echo.join(5_000);
            java.util.Arrays.sort(took);
            return took;
        }
    }

    private static void echo(ServerSocket server) {
        try (Socket socket = server.accept()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
            }
        } catch (IOException e) {
            // the measuring side reads -1 or fails itself
        }
    }
}
