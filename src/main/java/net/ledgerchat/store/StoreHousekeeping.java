package net.ledgerchat.store;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.ledgerchat.config.Database;
import net.ledgerchat.config.Settings;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Keeps the embedded H2 file from growing without bound: runs an {@link H2Compaction} pass every half second
 * (SQL Server keeps its own files). A pass that fails is logged and the next one tries again: a larger file is
 * the only cost. Passes start once the database is open (after {@code StoreUpgrade}) and end before the
 * application does: a pass opens a session by URL, and after the server closed its pool that would open the
 * database anew.
 */
@Singleton
@Startup
@DependsOn("StoreUpgrade")
public class StoreHousekeeping {
    private static final Logger LOG = Logger.getLogger(StoreHousekeeping.class.getName());
    private static final long PERIOD_MILLIS = 500;
    private static final int QUIET_PASSES = 20;

    @Inject
    private Settings settings;
    @Resource
    private ManagedScheduledExecutorService scheduler;
    @Resource(lookup = "jdbc/chat")
    private DataSource dataSource;
    @Inject
    private MetricRegistry metrics;

    private final ReentrantLock passing = new ReentrantLock();
    private ScheduledFuture<?> task;
    private volatile boolean stopped;
    /** Touched only under {@link #passing}. */
    private long lastVersion = -1;
    private boolean lastFailed;
    private long shrinkingFrom = -1;
    private int passesSinceShrink;
    /** What the last pass saw, for {@code /metrics}. */
    private volatile long fileBytes;
    private volatile int chunksFill;

    @PostConstruct
    void start() {
        Optional<String> served = settings.database() instanceof Database.H2 h2 ? servedUrl(h2) : Optional.empty();
        if (served.isPresent()) {
            Database.H2 h2 = (Database.H2) settings.database();
            metrics.gauge(Metadata.builder().withName("ledger.store.file").withUnit(MetricUnits.BYTES)
                    .withDescription("Size of the H2 database file, as the last housekeeping pass saw it").build(),
                    this, s -> s.fileBytes);
            metrics.gauge(Metadata.builder().withName("ledger.store.chunks.live.ratio")
                    .withDescription("Share (0-1) of the H2 file's chunk bytes still live (the rest is rewritten or freed)")
                    .build(), this, s -> s.chunksFill / 100.0);
            String url = served.get();
            task = scheduler.scheduleWithFixedDelay(() -> pass(h2, url), PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A pass opens the file {@code DATA_DIR} names. On Payara Server or GlassFish the datasource is the operator's
     * (payara-config/): if it is another database, the pass would open or create that file beside it, so none runs.
     * Passes connect with the URL the datasource uses, so their session matches its settings.
     */
    private Optional<String> servedUrl(Database.H2 h2) {
        String own = h2.jdbcUrl().split(";", 2)[0];
        try (Connection connection = dataSource.getConnection()) {
            String served = connection.getMetaData().getURL();
            if (served != null && served.split(";", 2)[0].equals(own)) {
                return Optional.of(served);
            }
            LOG.info(() -> "[DB] No housekeeping of the H2 file: jdbc/chat is " + served + ", not " + own
                    + " (DATA_DIR); its file is left as H2 keeps it");
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "[DB] No housekeeping of the H2 file: cannot read jdbc/chat's URL: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (task != null) {
            task.cancel(false);
        }
        passing.lock();
        passing.unlock();
    }

    private void pass(Database.H2 h2, String url) {
        passing.lock();
        try {
            if (!stopped) {
                passLocked(h2, url);
            }
        } finally {
            passing.unlock();
        }
    }

    private void passLocked(Database.H2 h2, String url) {
        try {
            Optional<H2Compaction.Pass> pass = H2Compaction.run(url, h2.user(), h2.password(), lastVersion);
            lastFailed = false;
            pass.ifPresent(this::record);
        } catch (SQLException | RuntimeException e) {
            // Once per run of failures: a database that is closing fails every pass until the node stops.
            if (!lastFailed) {
                LOG.log(Level.WARNING, "[DB] Housekeeping of " + h2.file() + " failed; retrying every "
                        + PERIOD_MILLIS + " ms: " + e.getMessage(), e);
            }
            lastFailed = true;
        }
    }

    /** One log line per shrinking run, once it has not shrunk for a while: an idle store shrinks over many passes. */
    private void record(H2Compaction.Pass pass) {
        lastVersion = pass.version();
        fileBytes = pass.fileBytes();
        chunksFill = pass.chunksFill();
        if (pass.shrank()) {
            shrinkingFrom = shrinkingFrom < 0 ? pass.fileBytesBefore() : shrinkingFrom;
            passesSinceShrink = 0;
        } else if (shrinkingFrom >= 0 && ++passesSinceShrink >= QUIET_PASSES) {
            long from = shrinkingFrom;
            LOG.info(() -> String.format("[DB] Compacted the database file from %,d to %,d bytes", from, pass.fileBytes()));
            shrinkingFrom = -1;
        }
    }
}
