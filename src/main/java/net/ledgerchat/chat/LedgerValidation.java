package net.ledgerchat.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerScanner;
import net.ledgerchat.store.Problem;
import net.ledgerchat.store.ScanResult;

/** Validates the whole ledger on an EJB timer every {@code SYNC_INTERVAL}, and on demand. */
@Singleton
@Startup
@DependsOn("LedgerFormatCheck")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class LedgerValidation {
    private static final Logger LOG = Logger.getLogger(LedgerValidation.class.getName());
    private static final long FIRST_RUN_MILLIS = 2_000;
    /** Passes over the ledger table at once: one per core keeps the scan short without starving requests for long. */
    private static final int LEDGER_PARTS = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Resource
    private TimerService timers;
    @Resource
    private ManagedExecutorService executor;
    @Resource(lookup = "jdbc/chat")
    private DataSource dataSource;
    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    @EJB
    private LedgerWriter writer;
    @Inject
    private LedgerRepairer repairer;

    private final ReentrantLock running = new ReentrantLock();
    private final AtomicReference<ValidationReport> last = new AtomicReference<>();
    private final AtomicReference<RepairReport> lastRepair = new AtomicReference<>();
    private final AtomicBoolean recheckQueued = new AtomicBoolean();

    @PostConstruct
    void schedule() {
        long period = settings.syncInterval().toMillis();
        timers.createIntervalTimer(Math.min(FIRST_RUN_MILLIS, period), period, new TimerConfig("ledger-validation", false));
        LOG.info(() -> "[Blockchain] Validating the ledger every " + settings.syncInterval().toSeconds() + " s");
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void onTimer(Timer timer) {
        // A run still going (a huge ledger, a slow disk) is not queued behind: the next tick comes soon enough.
        if (running.tryLock()) {
            try {
                runLocked(false);
            } finally {
                running.unlock();
            }
        }
    }

    /**
     * Validates now (waiting for a run in progress to finish first) and returns the report;
     * {@code verifySignatures} re-verifies every signature instead of trusting this node's seals.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ValidationReport validateNow(boolean verifySignatures) {
        running.lock();
        try {
            return runLocked(verifySignatures);
        } finally {
            running.unlock();
        }
    }

    public Optional<ValidationReport> lastReport() {
        return Optional.ofNullable(last.get());
    }

    /** What the last repair did; empty until a validation first found damage. */
    public Optional<RepairReport> lastRepair() {
        return Optional.ofNullable(lastRepair.get());
    }

    /** A peer sent back a block the repair asked for; once all are back, the ledger is checked again at once. */
    public void onRestored(@Observes BlockRestored restored) {
        lastRepair.updateAndGet(r -> r == null ? null : r.withRestored(restored.stored().block().hash()));
        // One re-check for a whole group of restored blocks: the flag is cleared when it starts.
        if (writer.wanted().isEmpty() && recheckQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                recheckQueued.set(false);
                validateNow(false);
            });
        }
    }

    private ValidationReport runLocked(boolean verifySignatures) {
        ValidationReport report = scan(verifySignatures);
        if (!report.valid()) {
            log(report, last.get());
            RepairReport repair = repairer.repair(report);
            lastRepair.set(repair);
            if (repair.changedAnything()) {
                report = scan(verifySignatures);
            }
        }
        ValidationReport previous = last.getAndSet(report);
        log(report, previous);
        return report;
    }

    private ValidationReport scan(boolean verifySignatures) {
        Instant at = Instant.now();
        List<String> heads = new ArrayList<>(writer.heads().stream().map(OrderKey::hash).toList());
        heads.addAll(writer.lostHeads());
        try {
            ScanResult scan = new LedgerScanner(writer.groupId(), identity::seal, heads, verifySignatures)
                    .scan(dataSource::getConnection, executor, LEDGER_PARTS);
            return new ValidationReport(scan.blocks(), scan.problems(), scan.problemCount(), at, scan.took());
        } catch (SQLException e) {
            return new ValidationReport(0, List.of(new Problem(Problem.Kind.UNREADABLE, null,
                    "the ledger could not be read: " + e.getMessage())), 1, at, java.time.Duration.ZERO);
        }
    }

    private static void log(ValidationReport report, ValidationReport previous) {
        if (report.valid()) {
            boolean changed = previous == null || !previous.valid();
            String line = "[Blockchain] Ledger valid: " + report.blocks() + " blocks checked in " + report.took().toMillis() + " ms";
            if (changed) {
                LOG.info(line);
            } else {
                LOG.fine(line);
            }
            return;
        }
        LOG.warning(() -> "[Blockchain] Ledger INVALID: " + report.problemCount() + " problem(s) in " + report.blocks() + " blocks");
        for (Problem p : report.problems()) {
            LOG.warning(() -> "[Blockchain]   " + p.kind() + (p.block() == null ? "" : " " + p.block()) + ": " + p.detail());
        }
    }
}
