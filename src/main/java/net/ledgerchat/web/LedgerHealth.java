package net.ledgerchat.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.chat.LedgerStatus;
import net.ledgerchat.chat.ValidationReport;
import net.ledgerchat.store.Problem;

/**
 * Ready once the ledger is open and the last validation could read it. A ledger with problems is
 * still served (and reported here): the node stays up to repair it.
 */
@Readiness
@ApplicationScoped
public class LedgerHealth implements HealthCheck {
    @Inject
    private ChatService chat;

    @Override
    public HealthCheckResponse call() {
        LedgerStatus status = chat.status();
        var response = HealthCheckResponse.named("ledger").withData("blocks", status.blocks())
                .withData("heads", status.heads().size());
        if (status.validation().isEmpty()) {
            return response.withData("valid", "not yet validated").up().build();
        }
        ValidationReport report = status.validation().get();
        response.withData("valid", report.valid()).withData("problems", report.problemCount())
                .withData("lastValidated", Json.instant(report.validatedAt()));
        boolean readable = report.problems().stream().noneMatch(p -> p.kind() == Problem.Kind.UNREADABLE);
        return response.status(readable).build();
    }
}
