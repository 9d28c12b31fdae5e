package net.ledgerchat.web;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import net.ledgerchat.chat.GroupService;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.peer.PeerService;

/**
 * {@code POST /api/join}: a node that holds nothing but the genesis it founded joins another group with an invite
 * (the page's "join a group" form). The secret in the code is never logged or answered back.
 */
@Path("join")
@Produces(MediaType.APPLICATION_JSON)
public class JoinResource {
    private static final int MAX_BODY = 4_096;
    @Inject
    private GroupService group;
    @Inject
    private Json json;
    @EJB
    private PeerService peers;

    /** {@code {"code":"ledgerchat-invite:..."}} (or the whole link): 202 while a member admits this node. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response join(InputStream body) throws RequestRefusedException {
        JoinRequest request = json.read(body, MAX_BODY, JoinRequest.class);
        InviteCode invite = group.join(request.code);
        peers.joinVia(invite);
        return Response.accepted(new Joining(invite.groupId(), true)).build();
    }

    /** The body of a join. */
    public static class JoinRequest {
        public String code;
    }

    public record Joining(String groupId, boolean joining) {
    }
}
