package net.ledgerchat.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error shape of the API: {@code {"error":"..."}}. */
public record ApiError(String error) {
    static Response badRequest(String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
}
