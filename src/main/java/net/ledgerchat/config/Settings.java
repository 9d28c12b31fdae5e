package net.ledgerchat.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.ledger.Limits;

/**
 * Every setting of a node, typed and validated once at start (DESIGN section 4). Build it with
 * {@link SettingsParser}; an instance is always usable. {@code allowedOrigins}: web origins besides the
 * node's own that may open the chat WebSocket ({@code ALLOWED_ORIGINS}, comma separated).
 */
public record Settings(
        String clientName,
        Optional<ZoneId> userTimezone,
        int webPort,
        int tcpPort,
        Optional<String> bindAddress,
        Optional<String> adapterName,
        Path peersFile,
        Path dataDir,
        String groupName,
        Optional<InviteCode> invite,
        Optional<String> peerHost,
        Database database,
        int maxRetries,
        Duration retryDelay,
        int maxClients,
        Duration syncInterval,
        int syncBatchSize,
        Limits limits,
        List<String> allowedOrigins) {

    public Settings {
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(userTimezone, "userTimezone");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(adapterName, "adapterName");
        Objects.requireNonNull(peersFile, "peersFile");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(groupName, "groupName");
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(peerHost, "peerHost");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(limits, "limits");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The invite this node joins its group with, kept until its admit arrives (it holds the invite's secret). */
    public Path joiningFile() {
        return dataDir.resolve("joining.invite");
    }

    /** The node's Ed25519 key (PKCS#8) and its public half. */
    public Path keyFile() {
        return dataDir.resolve("node.key");
    }
}
