package net.ledgerchat.web;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.chat.AcceptOutcome;
import net.ledgerchat.chat.BlockPage;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.chat.LedgerStatus;
import net.ledgerchat.chat.RepairReport;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.chat.ValidationReport;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.store.Problem;

/** {@code /api/ledger}: status and validation, and the block export anyone can re-verify. */
@Path("ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
    /** One block's JSON is bounded by its text limit plus fixed fields and up to 64 parents. */
    private static final int BLOCK_OVERHEAD = 16_384;

    @Inject
    private ChatService chat;
    @Inject
    private net.ledgerchat.chat.GroupService group;
    @Inject
    private Json json;
    @Inject
    private net.ledgerchat.config.Settings settings;

    @GET
    public StatusJson status() {
        LedgerStatus status = chat.status();
        return status.validation().isPresent() ? StatusJson.of(status) : StatusJson.of(chat.validateNow(false));
    }

    /** Who wrote the stored blocks that do not count, and how many each (DESIGN section 7). */
    @GET
    @Path("not-counting")
    public NotCountingJson notCounting() {
        return new NotCountingJson(group.notCounting());
    }

    public record NotCountingJson(List<net.ledgerchat.chat.GroupService.NotCounting> authors) {
    }

    /** Validates now; {@code ?signatures=true} re-verifies every Ed25519 signature (slow: an audit, not a routine). */
    @POST
    @Path("validate")
    public StatusJson validate(@QueryParam("signatures") @DefaultValue("false") boolean signatures) {
        return StatusJson.of(chat.validateNow(signatures));
    }

    @GET
    @Path("blocks")
    public BlocksJson blocks(@QueryParam("after") String after,
                             @QueryParam("limit") @DefaultValue("" + ChatService.DEFAULT_PAGE) String limit)
            throws RequestRefusedException {
        BlockPage page = chat.blocks(Optional.ofNullable(after), Params.limit(limit));
        return new BlocksJson(page.blocks().stream().map(BlockJson::of).toList(), page.after());
    }

    /** Offers one block made elsewhere: 201 stored, 200 already known, 202 waiting for its parents, 400 refused. */
    @POST
    @Path("blocks")
    @Consumes(MediaType.WILDCARD)
    public Response offer(InputStream body) throws RequestRefusedException {
        BlockJson offered = json.read(body, settings.limits().maxMessageBytes() * 6 + BLOCK_OVERHEAD, BlockJson.class);
        try {
            AcceptOutcome outcome = chat.accept(offered.toBlock(settings.limits()));
            Response.Status status = switch (outcome) {
                case STORED, RESTORED -> Response.Status.CREATED;
                case DUPLICATE -> Response.Status.OK;
                case PENDING -> Response.Status.ACCEPTED;
            };
            return Response.status(status).entity(new OfferJson(outcome.name(), offered.hash)).build();
        } catch (BlockRejectedException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new RejectJson(e.getMessage(), e.reason().name())).build();
        }
    }

    public record OfferJson(String outcome, String hash) {
    }

    public record RejectJson(String error, String reason) {
    }

    @JsonbNillable
    public record BlocksJson(List<BlockJson> blocks, String after) {
    }

    /** {@code repair} is null until a validation first found damage. */
    @JsonbNillable
    public record StatusJson(long blocks, List<String> heads, boolean valid, List<Problem> problems, long problemCount,
                             String lastValidated, long validationMillis, RepairJson repair) {
        static StatusJson of(LedgerStatus status) {
            ValidationReport report = status.validation().orElseThrow();
            return new StatusJson(status.blocks(), status.heads(), report.valid(), report.problems(), report.problemCount(),
                    Json.instant(report.validatedAt()), report.took().toMillis(),
                    status.repair().map(RepairJson::of).orElse(null));
        }
    }

    /** The last repair: what was removed, rebuilt and asked of peers, what came back, what is still outstanding. */
    public record RepairJson(String startedAt, List<String> removed, List<String> rebuiltMessages, int linksRepaired,
                             boolean digestRestored, List<String> requested, List<String> restored,
                             List<String> outstanding) {
        static RepairJson of(RepairReport r) {
            return new RepairJson(Json.instant(r.startedAt()), r.removed(), r.rebuiltMessages(), r.linksRepaired(),
                    r.digestRestored(), r.requested(), r.restored(), r.outstanding());
        }
    }
}
