package net.ledgerchat.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node's H2 database runs in AUTO_SERVER mode so an operator's tools can open it while the node runs, and its
 * credentials are in the source. So the server H2 starts for it must answer on loopback only: H2 alone listens on
 * every interface. The real uber-jar, a real H2 client from this JVM, and a plain socket to the same port on one of
 * this machine's other addresses.
 */
class LiveDatabaseIT {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theLiveDatabaseOpensFromThisMachineAndOnlyOnLoopback() throws Exception {
        Path dir = NodeProcess.freshTestDir("live-database");
        Path data = dir.resolve("data");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_DIR", data.toString());
        env.put("WEB_PORT", Integer.toString(NodeProcess.freePort()));
        env.put("TCP_SERVER_PORT", Integer.toString(NodeProcess.freePort()));
        env.put("CLIENT_NAME", "Live");
        try (NodeProcess node = new NodeProcess("node", dir.resolve("work"), dir, env)) {
            node.startAndAwaitReady();
            assertEquals(201, node.http().sendMessage("seen from an operator's tool").status());

            // An operator's tool on this machine opens the live database the way H2 documents it.
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("group") + ";AUTO_SERVER=TRUE",
                    "chat", "chat"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages WHERE text = 'seen from an operator''s tool'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the live database, opened beside the node, lacks the message just sent");
            }

            String server = lockFile(data).getProperty("server", "");
            assertTrue(server.matches("(127\\.0\\.0\\.1|localhost):\\d+"), "H2's server is announced on " + server
                    + ", not on loopback");
            int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
            Optional<InetAddress> other = otherAddress();
            Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
            assertThrows(ConnectException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other.get(), port), 3_000);
                }
            }, "H2's server for the node's database answers on " + other.get() + ":" + port);
        }
    }

    private static Properties lockFile(Path data) throws IOException {
        Properties lock = new Properties();
        try (InputStream in = Files.newInputStream(data.resolve("group.lock.db"))) {
            lock.load(in);
        }
        return lock;
    }

    private static Optional<InetAddress> otherAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
