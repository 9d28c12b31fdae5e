package net.ledgerchat.web.socket;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import net.ledgerchat.config.Settings;

/**
 * Registers {@code /ws/chat} explicitly at deployment: a scanned endpoint in a WAR with EJBs, Faces
 * and JAX-RS was missing on about half of Payara Micro's boots (see STACK.md).
 */
@WebListener
public class ChatSocketSetup implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(ChatSocketSetup.class.getName());
    public static final String PATH = "/ws/chat";

    @Inject
    private ChatSockets sockets;
    @Inject
    private Settings settings;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServerContainer container = (ServerContainer) event.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("no WebSocket container: " + PATH + " cannot be registered");
        }
        // A send may spell each byte of text as a 6-character JSON escape.
        int maxFrameChars = settings.limits().maxMessageBytes() * 6 + 1024;
        OriginCheck origins = new OriginCheck(settings.allowedOrigins(), ownHosts(), settings.webPort(),
                () -> new ChatEndpoint(sockets, maxFrameChars));
        try {
            container.addEndpoint(ServerEndpointConfig.Builder.create(ChatEndpoint.class, PATH).configurator(origins).build());
        } catch (DeploymentException e) {
            throw new IllegalStateException("could not register " + PATH + ": " + e.getMessage(), e);
        }
        LOG.info(() -> "[Web] Chat WebSocket at " + PATH);
    }

    /** Names and address literals of this machine, as an Origin header would spell them. */
    private static Set<String> ownHosts() {
        Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        try {
            hosts.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            LOG.fine(() -> "[Web] This machine's name is unknown: " + e.getMessage());
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    String literal = address.getHostAddress().replaceAll("%.*$", "").toLowerCase(Locale.ROOT);
                    hosts.add(literal.contains(":") ? "[" + literal + "]" : literal);
                }
            }
        } catch (SocketException e) {
            LOG.warning(() -> "[Web] Cannot list this machine's addresses; only localhost may open the chat: " + e.getMessage());
        }
        return hosts;
    }
}
