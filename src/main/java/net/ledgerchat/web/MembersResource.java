package net.ledgerchat.web;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.ledgerchat.chat.GroupService;
import net.ledgerchat.chat.MembershipRefusedException;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.peer.PeerService;
import net.ledgerchat.peer.PeerStatus;

/** {@code /api/members}: who belongs to the group; remove someone (or leave), set a rank. */
@Path("members")
@Produces(MediaType.APPLICATION_JSON)
public class MembersResource {
    @Inject
    private GroupService group;
    @Inject
    private NodeIdentity identity;
    @Inject
    private Json json;
    @EJB
    private PeerService peers;

    /** {@code linked}: this node itself, or a member it has a link to now. */
    @GET
    public Members members() {
        Set<String> linked = peers.peers().stream().filter(PeerStatus::connected).map(PeerStatus::key)
                .collect(Collectors.toSet());
        linked.add(identity.publicKey());
        return new Members(group.members().stream().map(m -> new MemberJson(m.key(), m.name(), m.rank().wireName(),
                Json.instant(m.joined()), linked.contains(m.key()))).toList());
    }

    /** Removes the member, or leaves the group when the key is this node's own. */
    @DELETE
    @Path("{key}")
    public Response remove(@PathParam("key") String key) throws RequestRefusedException, MembershipRefusedException {
        group.remove(key);
        return Response.noContent().build();
    }

    @PUT
    @Path("{key}/rank")
    @Consumes(MediaType.WILDCARD)
    public Response setRank(@PathParam("key") String key, InputStream body)
            throws RequestRefusedException, MembershipRefusedException {
        RankRequest request = json.read(body, 256, RankRequest.class);
        group.setRank(key, request.rank);
        return Response.noContent().build();
    }

    /** The body of a rank change. */
    public static class RankRequest {
        public String rank;
    }

    public record MemberJson(String key, String name, String rank, String joined, boolean linked) {
    }

    public record Members(List<MemberJson> members) {
    }
}
