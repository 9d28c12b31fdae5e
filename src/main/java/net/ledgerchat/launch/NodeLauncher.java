package net.ledgerchat.launch;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.ledgerchat.config.Database;
import net.ledgerchat.config.DotEnv;
import net.ledgerchat.config.Settings;
import net.ledgerchat.config.SettingsException;
import net.ledgerchat.config.SettingsParser;

/**
 * The node's {@code main}: the uber-jar's entry point, in front of Payara Micro. It exists so a
 * node never half-starts: settings are read and checked, the data directory claimed and the
 * database reached <em>before</em> Payara boots (a bad value is one line and exit code 2), and
 * after boot the chat application itself must answer, or the process exits 1 instead of
 * serving 404s under a "ready" banner.
 */
public final class NodeLauncher {
    static final int EXIT_BAD_SETTING = 2;
    static final int EXIT_NOT_STARTED = 1;
    private static final String PAYARA_MAIN = "fish.payara.micro.PayaraMicro";
    private static final String H2_BIND_ADDRESS = "h2.bindAddress";
    private static final String H2_OBJECT_CACHE = "h2.objectCache";

    private NodeLauncher() {
    }

    public static void main(String[] args) {
        keepDatabaseServerLocal();
        skipH2ValueCache();
        Settings settings;
        try {
            settings = readSettings(System.getenv());
            claimDataDir(settings.dataDir());
            checkPortFree("WEB_PORT", settings.webPort());
            checkPortFree("TCP_SERVER_PORT", settings.tcpPort());
            checkDatabase(settings.database());
        } catch (SettingsException e) {
            say("SEVERE", "[Config] " + e.getMessage());
            System.exit(EXIT_BAD_SETTING);
            return;
        }
        Database db = settings.database();
        // The post-boot commands in payara-config/ read these to define jdbc/chat.
        System.setProperty("ledgerchat.db.driver", db.driverClass());
        System.setProperty("ledgerchat.db.url", db.jdbcUrl());
        System.setProperty("ledgerchat.db.user", db.user());
        System.setProperty("ledgerchat.db.password", db.password());
        say("INFO", "[DB] Using " + db.describe());
        bootPayara(settings, args);
        if (!new ReadinessProbe(settings.webPort()).awaitReady()) {
            say("SEVERE", "[Web] The chat application did not start (its error is logged above); stopping");
            System.exit(EXIT_NOT_STARTED);
        }
        say("INFO", "[Web] Chat node '" + settings.clientName() + "' is ready at http://localhost:"
                + settings.webPort() + "/ (peer port " + settings.tcpPort() + ", data in " + settings.dataDir() + ")");
    }

    /**
     * H2's AUTO_SERVER (so an operator's tools can open the live database) listens on every interface by
     * default, and the database's credentials are no secret. H2 reads its bind address once, when its first
     * class loads, so this runs before anything touches the database. An operator may still choose another.
     */
    static void keepDatabaseServerLocal() {
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
    }

    /**
     * H2 looks every value it reads up in a small shared cache, hashing each byte array and string to do so. A
     * ledger's values are hashes, keys and texts that almost never repeat: the lookups were a fifth of the periodic
     * validation's CPU at a million blocks, for no hits (docs/benchmarks-log.md). Read once, like the bind address.
     */
    static void skipH2ValueCache() {
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }

    /** The launcher runs before logging is set up; its lines look like the node's (payara-config/logging.properties). */
    static void say(String level, String message) {
        String line = String.format("%1$tF %1$tT.%1$tL %2$-7s %3$s", java.time.LocalDateTime.now(), level, message);
        (level.equals("INFO") ? System.out : System.err).println(line);
    }

    static Settings readSettings(Map<String, String> environment) {
        Map<String, String> dotEnv = DotEnv.load(environment);
        return new SettingsParser(name -> Optional.ofNullable(environment.get(name))
                .or(() -> Optional.ofNullable(dotEnv.get(name)))).parse();
    }

    /** One node per data directory: a second node on the same files would fork the key and corrupt the ledger. */
    private static void claimDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("node.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new SettingsException("DATA_DIR '" + dataDir + "' is in use by another running node");
            }
            channel.truncate(0).write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"));
            // The JVM keeps its shutdown hooks reachable, and with them the lock, until the process ends.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> release(lock), "data-dir-lock-release"));
        } catch (IOException e) {
            throw new SettingsException("DATA_DIR '" + dataDir + "' is not a writable directory: " + e.getMessage());
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException e) {
            say("WARNING", "[Config] Could not release the data directory lock: " + e.getMessage());
        }
    }

    private static void checkPortFree(String name, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new SettingsException(name + "=" + port + " cannot be used: " + e.getMessage()
                    + " (is another node or program on that port?)");
        }
    }

    private static void checkDatabase(Database database) {
        if (database instanceof Database.H2 h2 && Files.exists(h2.formatOneFile())) {
            throw new SettingsException("DATA_DIR holds a ledger of format 1 (" + h2.formatOneFile() + "), from before"
                    + " groups had members; this version neither reads nor changes it. Start with a new DATA_DIR to"
                    + " found or join a group; the old directory stays as it is");
        }
        if (database instanceof Database.SqlServer sql) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(sql.server(), sql.port()), 5_000);
            } catch (IOException e) {
                throw new SettingsException("DB_SERVER '" + sql.server() + ":" + sql.port() + "' cannot be reached: "
                        + e.getMessage());
            }
        }
    }

    private static void bootPayara(Settings settings, String[] args) {
        List<String> options = new ArrayList<>(List.of("--port", Integer.toString(settings.webPort())));
        options.addAll(List.of(args));
        try {
            Class.forName(PAYARA_MAIN).getMethod("main", String[].class).invoke(null, (Object) options.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            say("SEVERE", "[Web] Payara Micro failed to boot: " + e.getCause());
            System.exit(EXIT_NOT_STARTED);
        } catch (ReflectiveOperationException e) {
            say("SEVERE", "[Web] This jar does not contain Payara Micro (" + e + "); build it with mvn package");
            System.exit(EXIT_NOT_STARTED);
        }
    }
}
