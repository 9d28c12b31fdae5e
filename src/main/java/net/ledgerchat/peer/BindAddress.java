package net.ledgerchat.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import net.ledgerchat.config.Settings;

/** Where the peer listener binds: BIND_ADDRESS, else the first address of ADAPTER_NAME, else every interface. */
final class BindAddress {
    private BindAddress() {
    }

    static InetAddress resolve(Settings settings) throws IOException {
        if (settings.bindAddress().isPresent()) {
            return InetAddress.getByName(settings.bindAddress().get());
        }
        if (settings.adapterName().isPresent()) {
            NetworkInterface adapter = NetworkInterface.getByName(settings.adapterName().get());
            if (adapter == null) {
                throw new IOException("no network interface named " + settings.adapterName().get());
            }
            return Collections.list(adapter.getInetAddresses()).stream().findFirst()
                    .orElseThrow(() -> new IOException("interface " + settings.adapterName().get() + " has no address"));
        }
        return null;
    }
}
