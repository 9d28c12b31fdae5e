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
import java.time.Duration;
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
import org.eclipse.microprofile.metrics.Timer;

/**
 * Keeps the embedded H2 file from growing without bound and forces it to disk while the node writes: runs an
 * {@link H2Compaction} pass every tenth of H2's retention time (SQL Server keeps its own files). A pass that fails
 * is logged and the next one tries again; until one succeeds the file grows and is not forced. Passes start once
 * the database is open (after {@code LedgerFormatCheck}) and end before the application does: a pass opens a session
 * by URL, and after the server closed its pool that would open the database anew.
 */
@Singleton
@Startup
@DependsOn("LedgerFormatCheck")
public class StoreHousekeeping {
    private static final Logger LOG = Logger.getLogger(StoreHousekeeping.class.getName());
    /** Well inside the retention time, so every chunk H2 may overwrite was forced to disk after its successors. */
    private static final long PERIOD_MILLIS = Database.H2.RETENTION_MILLIS / 10;
    /** A forced write slower than this eats into the retention margin: worth a warning line. */
    private static final Duration SLOW_SYNC = Duration.ofMillis(Database.H2.RETENTION_MILLIS / 5);
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
    private Timer syncTime;

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
            syncTime = metrics.timer(Metadata.builder().withName("ledger.store.sync.time").withUnit(MetricUnits.NANOSECONDS)
                    .withDescription("Time to force the H2 file to disk, once per housekeeping pass that followed commits")
                    .build());
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
            pass.ifPresent(done -> record(h2, done));
        } catch (SQLException | RuntimeException e) {
            // Once per run of failures: a database that is closing fails every pass until the node stops.
            if (!lastFailed) {
                LOG.log(Level.WARNING, "[DB] Housekeeping of " + h2.file() + " failed; retrying every "
                        + PERIOD_MILLIS + " ms: " + e.getMessage(), e);
            }
            lastFailed = true;
        }
    }

    /** What a pass saw; one log line per shrinking run once it has not shrunk for a while (over many passes). */
    private void record(Database.H2 h2, H2Compaction.Pass pass) {
        lastVersion = pass.version();
        fileBytes = pass.fileBytes();
        chunksFill = pass.chunksFill();
        pass.synced().ifPresent(took -> {
            syncTime.update(took);
            if (took.compareTo(SLOW_SYNC) > 0) {
                LOG.warning(() -> "[DB] Forcing " + h2.file() + " to disk took " + took.toMillis() + " ms; H2 may reuse a"
                        + " chunk's space " + Database.H2.RETENTION_MILLIS + " ms after writing it, so a disk this slow"
                        + " risks the file on a power cut");
            }
        });
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
