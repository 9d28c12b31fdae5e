package net.ledgerchat.web;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.chat.ChatMessage;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.chat.MessagePage;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.config.Settings;

/** {@code /api/messages}: send, and page backwards through history by cursor. */
@Path("messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {
    @Inject
    private ChatService chat;
    @Inject
    private Settings settings;
    @Inject
    private Json json;

    /** {@code Idempotency-Key}: a repeat of a send with the same key answers with the message the first one stored. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response send(InputStream body, @HeaderParam("Idempotency-Key") String key) throws RequestRefusedException {
        // JSON may spell each byte of text as a 6-character escape; anything longer cannot be a valid message.
        SendRequest request = json.read(body, settings.limits().maxMessageBytes() * 6 + 1024, SendRequest.class);
        return Response.status(Response.Status.CREATED).entity(MessageJson.of(chat.send(request.text, key))).build();
    }

    @GET
    public PageJson page(@QueryParam("before") String before,
                         @QueryParam("limit") @DefaultValue("" + ChatService.DEFAULT_PAGE) String limit)
            throws RequestRefusedException {
        MessagePage page = chat.page(Optional.ofNullable(before), Params.limit(limit));
        return new PageJson(page.messages().stream().map(MessageJson::of).toList(), page.before());
    }

    /** The body of a send. */
    public static class SendRequest {
        public String text;
    }

    public record MessageJson(String id, String sender, String author, String timestamp, String text, boolean mine,
                              String cursor) {
        static MessageJson of(ChatMessage m) {
            return new MessageJson(m.id(), m.sender(), m.author(), Json.instant(m.timestamp()), m.text(), m.mine(), m.cursor());
        }
    }

    @JsonbNillable
    public record PageJson(List<MessageJson> messages, String before) {
    }
}
