package net.ledgerchat.web;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.ledgerchat.chat.GroupService;
import net.ledgerchat.chat.Invitation;
import net.ledgerchat.chat.MembershipRefusedException;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.peer.PeerService;
import net.ledgerchat.peer.PeerStatus;

/** {@code /api/invites}: make an invite (its code is shown once), list the open ones, revoke one. */
@Path("invites")
@Produces(MediaType.APPLICATION_JSON)
public class InvitesResource {
    private static final int MAX_BODY = 1_024;
    @Inject
    private GroupService group;
    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    @Inject
    private Json json;
    @EJB
    private PeerService peers;
    @Context
    private UriInfo uri;

    /** Body optional: {@code {"expires":"2027-01-01T00:00:00Z"}}; a week from now without it. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(InputStream body) throws RequestRefusedException, MembershipRefusedException {
        Optional<Instant> expires = expires(body);
        Invitation made = group.invite(expires, contacts(), uri.getBaseUri().resolve("../").toString());
        return Response.status(Response.Status.CREATED)
                .entity(new InvitationJson(made.id(), made.code(), made.link(), Json.instant(made.expires()))).build();
    }

    @GET
    public Invites open() {
        return new Invites(group.openInvites().stream()
                .map(i -> new InviteJson(i.id(), i.author(), Json.instant(i.created()), Json.instant(i.expires()))).toList());
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) throws MembershipRefusedException {
        if (!group.revoke(id)) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("no open invite " + id)).build();
        }
        return Response.noContent().build();
    }

    private Optional<Instant> expires(InputStream body) throws RequestRefusedException {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new RequestRefusedException("request body could not be read: " + e.getMessage());
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        CreateRequest request = json.read(new java.io.ByteArrayInputStream(bytes), MAX_BODY, CreateRequest.class);
        if (request.expires == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(request.expires));
        } catch (DateTimeParseException e) {
            throw new RequestRefusedException("expires must be an ISO-8601 instant such as 2027-01-31T12:00:00Z");
        }
    }

    /** This node (at PEER_HOST, else its bind address, else the host this page was reached at), then linked configured peers. */
    private List<InviteCode.Contact> contacts() {
        String host = settings.peerHost().or(() -> settings.bindAddress().filter(a -> !a.equals("0.0.0.0") && !a.equals("::")))
                .orElse(uri.getBaseUri().getHost());
        List<InviteCode.Contact> contacts = new ArrayList<>();
        contacts.add(new InviteCode.Contact(host, settings.tcpPort(), identity.publicKey()));
        for (PeerStatus peer : peers.peers()) {
            if (peer.connected() && peer.key() != null && peer.port() > 0) {
                contacts.add(new InviteCode.Contact(peer.host(), peer.port(), peer.key()));
            }
        }
        return contacts;
    }

    /** The body of a create. */
    public static class CreateRequest {
        public String expires;
    }

    /** The one answer that carries the code: it is never shown again. */
    public record InvitationJson(String id, String code, String link, String expires) {
    }

    public record InviteJson(String id, String author, String created, String expires) {
    }

    public record Invites(List<InviteJson> invites) {
    }
}
