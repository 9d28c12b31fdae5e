package net.ledgerchat.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import net.ledgerchat.chat.ChatService;

/** {@code /api/node}: who this node is. */
@Path("node")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {
    @Inject
    private ChatService chat;

    @GET
    public ChatService.NodeInfo node() {
        return chat.node();
    }
}
