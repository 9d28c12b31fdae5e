package net.ledgerchat.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

@Path("node")
public class NodeResource {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> node() {
        return Map.of("name", "x");
    }
}
