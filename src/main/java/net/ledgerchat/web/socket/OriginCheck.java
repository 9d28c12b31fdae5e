package net.ledgerchat.web.socket;

import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Lets only the node's own pages (and {@code ALLOWED_ORIGINS}) open the chat WebSocket: without it
 * any web site the user visits could read and post in the chat through the user's browser. The
 * node's own origins are its web port on a name or address of this machine, compared as written:
 * no name is looked up, so a site whose name an attacker points at 127.0.0.1 (DNS rebinding) is
 * still refused. Behind a proxy, name the public origin in {@code ALLOWED_ORIGINS}. A refused
 * handshake gets HTTP 403 from the container.
 */
final class OriginCheck extends ServerEndpointConfig.Configurator {
    private static final Logger LOG = Logger.getLogger(OriginCheck.class.getName());
    private final List<String> allowed;
    private final Set<String> ownHosts;
    private final int webPort;
    private final Supplier<ChatEndpoint> endpoints;

    /** {@code ownHosts}: lower-case names and address literals of this machine (IPv6 in brackets). */
    OriginCheck(List<String> allowed, Set<String> ownHosts, int webPort, Supplier<ChatEndpoint> endpoints) {
        this.allowed = List.copyOf(allowed);
        this.ownHosts = Set.copyOf(ownHosts);
        this.webPort = webPort;
        this.endpoints = endpoints;
    }

    @Override
    public boolean checkOrigin(String origin) {
        boolean ok = allows(origin);
        if (!ok) {
            LOG.warning(() -> "[Web] Refused a chat WebSocket from origin " + origin);
        }
        return ok;
    }

    boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (allowed.contains(normalized)) {
            return true;
        }
        try {
            URI uri = new URI(normalized);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return web && uri.getHost() != null && port == webPort && ownHosts.contains(uri.getHost())
                    && (uri.getPath() == null || uri.getPath().isEmpty());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getEndpointInstance(Class<T> type) {
        return (T) endpoints.get();
    }
}
