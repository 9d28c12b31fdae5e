package net.ledgerchat.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.membership.InviteCode;

/**
 * Turns raw setting values (environment, {@code .env}, MicroProfile Config: whatever the caller's
 * lookup reads) into {@link Settings}. The first bad value stops parsing with a
 * {@link SettingsException} that names the setting, the value and what it must be.
 */
public final class SettingsParser {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
    private final Function<String, Optional<String>> lookup;

    public SettingsParser(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Settings parse() {
        Limits limits = new Limits(integer("MAX_MESSAGE_BYTES", 16_384, 1, 262_144), 256, 64,
                Duration.ofSeconds(integer("MAX_CLOCK_SKEW", 300, 0, 86_400)));
        String clientName = text("CLIENT_NAME", "DefaultUser");
        if (clientName.isBlank() || clientName.getBytes(StandardCharsets.UTF_8).length > limits.maxSenderBytes()) {
            throw bad("CLIENT_NAME", clientName, "a display name of 1 to " + limits.maxSenderBytes() + " bytes");
        }
        int webPort = integer("WEB_PORT", 8001, 1, 65_535);
        int tcpPort = integer("TCP_SERVER_PORT", 5001, 1, 65_535);
        if (webPort == tcpPort) {
            throw new SettingsException("WEB_PORT and TCP_SERVER_PORT are both " + webPort + ": they must differ");
        }
        Optional<String> bindAddress = optional("BIND_ADDRESS").map(this::ipLiteral);
        Optional<String> adapter = optional("ADAPTER_NAME");
        if (bindAddress.isPresent() && adapter.isPresent()) {
            throw new SettingsException("BIND_ADDRESS and ADAPTER_NAME are both set: set one of them");
        }
        adapter.ifPresent(SettingsParser::checkAdapter);
        Path dataDir = path("DATA_DIR", "./data");
        if (optional("GROUP_ID").isPresent()) {
            throw new SettingsException("GROUP_ID is no longer used: a group is named by its first block. Leave it"
                    + " out to found a group, or set INVITE to the code a member gave you to join one");
        }
        String groupName = text("GROUP_NAME", clientName + "'s group");
        if (groupName.isBlank()
                || groupName.getBytes(StandardCharsets.UTF_8).length > limits.maxSenderBytes()) {
            throw bad("GROUP_NAME", groupName, "a name of 1 to " + limits.maxSenderBytes() + " bytes");
        }
        Optional<InviteCode> invite = optional("INVITE").map(this::invite);
        return new Settings(clientName, optional("USER_TIMEZONE").map(SettingsParser::zone), webPort, tcpPort,
                bindAddress, adapter, path("PEERS_FILE", "peers.json"), dataDir, groupName, invite,
                optional("PEER_HOST").map(this::peerHost), database(dataDir),
                integer("MAX_RETRIES", 5, 1, 100), Duration.ofSeconds(integer("RETRY_DELAY", 3, 1, 3600)),
                integer("MAX_CLIENTS", 10, 1, 1000), Duration.ofSeconds(integer("SYNC_INTERVAL", 30, 1, 86_400)),
                integer("SYNC_BATCH_SIZE", 50, 1, 5000), limits, origins("ALLOWED_ORIGINS"));
    }

    /** A host name or address as invites name it: what joiners dial to reach this node's peer port. */
    private String peerHost(String host) {
        if (!HOST.matcher(host).matches()) {
            throw bad("PEER_HOST", host, "a host name or IP address that members and joiners reach this node at");
        }
        return host;
    }

    /** An invite code or link; the error names what is wrong with it but never repeats it (it holds a secret). */
    private InviteCode invite(String code) {
        try {
            return InviteCode.parse(code);
        } catch (InviteCode.InvalidInviteCode e) {
            throw new SettingsException("INVITE is not a usable invite: " + e.getMessage());
        }
    }

    /** Origins as a browser sends them: scheme, host and an optional port, nothing else. */
    private List<String> origins(String name) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> origins = new ArrayList<>();
        for (String part : raw.get().split(",")) {
            String origin = part.trim();
            if (!ORIGIN.matcher(origin).matches()) {
                throw bad(name, raw.get(), "origins such as https://chat.example.org or http://localhost:8080, comma separated");
            }
            origins.add(origin.toLowerCase(java.util.Locale.ROOT));
        }
        return origins;
    }


    private Database database(Path dataDir) {
        Optional<String> server = optional("DB_SERVER");
        if (server.isEmpty()) {
            for (String other : new String[] {"DB_NAME", "DB_USER", "DB_PASSWORD"}) {
                if (optional(other).isPresent()) {
                    throw new SettingsException(other + " is set but DB_SERVER is not: set DB_SERVER to use SQL Server,"
                            + " or unset " + other + " for the embedded database");
                }
            }
            return new Database.H2(dataDir);
        }
        String user = optional("DB_USER").orElseThrow(() -> new SettingsException("DB_SERVER is set but DB_USER is not"));
        return new Database.SqlServer(server.get(), integer("DB_PORT", 1433, 1, 65_535), text("DB_NAME", "chatdb"),
                user, optional("DB_PASSWORD").orElse(""), bool("DB_ENCRYPT", true),
                bool("DB_TRUST_SERVER_CERTIFICATE", false));
    }

    private Optional<String> optional(String name) {
        return lookup.apply(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    private String text(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    private int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range, which says more than the parser's message
        }
        throw bad(name, raw.get(), "a whole number from " + min + " to " + max);
    }

    private boolean bool(String name, boolean fallback) {
        Optional<String> raw = optional(name).map(v -> v.toLowerCase(java.util.Locale.ROOT));
        if (raw.isEmpty()) {
            return fallback;
        }
        switch (raw.get()) {
            case "true", "yes", "1":
                return true;
            case "false", "no", "0":
                return false;
            default:
                throw bad(name, raw.get(), "true or false");
        }
    }

    private Path path(String name, String fallback) {
        String raw = text(name, fallback);
        try {
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad(name, raw, "a file system path");
        }
    }

    private String ipLiteral(String raw) {
        // Only literals: a host name would mean a DNS lookup at every start and a bind to whatever it answers.
        if (!IP_LITERAL.matcher(raw).matches()) {
            throw bad("BIND_ADDRESS", raw, "an IP address such as 0.0.0.0 or 127.0.0.1");
        }
        try {
            return InetAddress.getByName(raw).getHostAddress();
        } catch (UnknownHostException e) {
            throw bad("BIND_ADDRESS", raw, "an IP address such as 0.0.0.0 or 127.0.0.1");
        }
    }

    private static void checkAdapter(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic == null || !nic.getInetAddresses().hasMoreElements()) {
                throw bad("ADAPTER_NAME", name, "the name of a network interface with an address on this machine");
            }
        } catch (SocketException e) {
            throw new SettingsException("ADAPTER_NAME='" + name + "': cannot list network interfaces: " + e.getMessage());
        }
    }

    private static ZoneId zone(String raw) {
        try {
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            throw bad("USER_TIMEZONE", raw, "a time zone such as Asia/Kolkata or UTC");
        }
    }

    private static SettingsException bad(String name, String value, String expected) {
        return new SettingsException(name + "='" + value + "' is not valid: expected " + expected);
    }
}
