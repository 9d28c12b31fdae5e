package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.ledgerchat.config.Settings;
import net.ledgerchat.config.SettingsException;
import net.ledgerchat.config.SettingsParser;
import org.junit.jupiter.api.Test;

/**
 * ADAPTER_NAME on this machine's real interfaces: the peer listener binds to the named interface's
 * address (and only there), and a name no interface has stops the node with a settings error naming it.
 */
class BindAddressTest {
    private static final String NO_SUCH_ADAPTER = "no-such-nic0";

    private static Settings settings(String... pairs) {
        Map<String, String> values = new HashMap<>();
        values.put("TCP_SERVER_PORT", Integer.toString(freePort()));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new SettingsParser(name -> Optional.ofNullable(values.get(name))).parse();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** The machine's loopback interface, by whatever name it has here (lo on Linux, lo0 on macOS). */
    private static NetworkInterface loopback() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && nic.isLoopback() && nic.getInetAddresses().hasMoreElements()) {
                return nic;
            }
        }
        throw new AssertionError("this machine has no loopback interface with an address");
    }

    /** Every address of every interface other than {@code except}. */
    private static List<InetAddress> addressesOtherThan(NetworkInterface except) throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream().filter(nic -> !nic.equals(except))
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream()).toList();
    }

    @Test
    void theLoopbackAdapterBindsTheListenerToLoopbackOnly() throws Exception {
        NetworkInterface lo = loopback();
        Settings settings = settings("ADAPTER_NAME", lo.getName());
        List<InetAddress> ofLo = Collections.list(lo.getInetAddresses());
        try (ServerSocket listener = BindAddress.listen(settings, 50)) {
            InetAddress bound = listener.getInetAddress();
            assertFalse(bound.isAnyLocalAddress(), "bound to every interface instead of " + lo.getName());
            assertTrue(ofLo.contains(bound), bound + " is not an address of " + lo.getName() + " " + ofLo);
            assertEquals(settings.tcpPort(), listener.getLocalPort());
            if (ofLo.stream().anyMatch(a -> a instanceof Inet4Address)) {
                // Peers files name peers as 127.0.0.1: a listener on ::1 would never hear them.
                assertInstanceOf(Inet4Address.class, bound, "bound to " + bound + ", not lo's IPv4 address");
            }
            listener.setSoTimeout(5_000);
            try (Socket peer = new Socket(bound, settings.tcpPort()); Socket accepted = listener.accept()) {
                assertEquals(peer.getLocalPort(), accepted.getPort(), "a peer dialling " + bound + " is heard");
            }
            for (InetAddress other : addressesOtherThan(lo)) {
                assertThrows(IOException.class, () -> {
                    try (Socket stranger = new Socket()) {
                        stranger.connect(new InetSocketAddress(other, settings.tcpPort()), 2_000);
                    }
                }, "the listener on " + lo.getName() + " also answers on " + other);
            }
        }
    }

    @Test
    void withoutAdapterOrAddressTheListenerTakesEveryInterface() throws Exception {
        try (ServerSocket listener = BindAddress.listen(settings(), 50)) {
            assertTrue(listener.getInetAddress().isAnyLocalAddress(), listener.getInetAddress().toString());
        }
    }

    @Test
    void anUnknownAdapterIsASettingsErrorNamingIt() throws Exception {
        assertNull(NetworkInterface.getByName(NO_SUCH_ADAPTER), "this machine really has an adapter " + NO_SUCH_ADAPTER);
        SettingsException e = assertThrows(SettingsException.class, () -> settings("ADAPTER_NAME", NO_SUCH_ADAPTER));
        assertEquals("ADAPTER_NAME='" + NO_SUCH_ADAPTER + "' is not valid: expected the name of a network interface"
                + " with an address on this machine", e.getMessage());
    }

    @Test
    void anAdapterGoneSinceTheSettingsWereReadIsNamedWhenTheListenerStarts() throws Exception {
        Settings read = settings("ADAPTER_NAME", loopback().getName());
        Settings gone = new Settings(read.clientName(), read.userTimezone(), read.webPort(), read.tcpPort(),
                read.bindAddress(), Optional.of(NO_SUCH_ADAPTER), read.peersFile(), read.dataDir(), read.groupName(),
                read.invite(), read.peerHost(), read.database(), read.maxRetries(), read.retryDelay(), read.maxClients(), read.syncInterval(),
                read.syncBatchSize(), read.limits(), read.allowedOrigins());
        IOException e = assertThrows(IOException.class, () -> BindAddress.listen(gone, 50).close());
        assertTrue(e.getMessage().startsWith("ADAPTER_NAME='" + NO_SUCH_ADAPTER + "'"), e.getMessage());
    }
}
