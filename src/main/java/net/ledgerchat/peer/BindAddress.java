package net.ledgerchat.peer;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.Comparator;
import net.ledgerchat.config.Settings;

/** Where the peer listener binds: BIND_ADDRESS, else an address of ADAPTER_NAME, else every interface. */
final class BindAddress {
    private BindAddress() {
    }

    /** The peer listener, bound to {@link #resolve} and TCP_SERVER_PORT. */
    static ServerSocket listen(Settings settings, int backlog) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(resolve(settings), settings.tcpPort()), backlog);
            return server;
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The address to bind, or null for every interface. */
    static InetAddress resolve(Settings settings) throws IOException {
        if (settings.bindAddress().isPresent()) {
            return InetAddress.getByName(settings.bindAddress().get());
        }
        if (settings.adapterName().isPresent()) {
            String name = settings.adapterName().get();
            NetworkInterface adapter = NetworkInterface.getByName(name);
            if (adapter == null) {
                throw new IOException("ADAPTER_NAME='" + name + "': there is no network interface of that name");
            }
            // IPv4 first: peers files name peers by IPv4 address, and Java lists lo's ::1 before 127.0.0.1, so taking
            // the first address bound a node on lo where no peer dialling 127.0.0.1 reached it. Link-local IPv6 last.
            return Collections.list(adapter.getInetAddresses()).stream()
                    .min(Comparator.comparingInt(BindAddress::preference))
                    .orElseThrow(() -> new IOException("ADAPTER_NAME='" + name + "': the interface has no address"));
        }
        return null;
    }

    private static int preference(InetAddress address) {
        if (address instanceof Inet4Address) {
            return 0;
        }
        return address.isLinkLocalAddress() ? 2 : 1;
    }
}
