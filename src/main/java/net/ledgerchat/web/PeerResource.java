package net.ledgerchat.web;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import net.ledgerchat.peer.PeerService;
import net.ledgerchat.peer.PeerStatus;

/** {@code /api/peers}: the configured peers and every linked node, with link and sync state. */
@Path("peers")
@Produces(MediaType.APPLICATION_JSON)
public class PeerResource {
    @EJB
    private PeerService peers;

    @GET
    public Peers peers() {
        return new Peers(peers.peers());
    }

    /** The response shape: {@code {"peers":[...]}}. */
    public record Peers(List<PeerStatus> peers) {
    }
}
