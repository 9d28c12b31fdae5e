package net.ledgerchat.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import net.ledgerchat.chat.MembershipRefusedException;

/** The membership rules refused what was asked: a 403 that names the rule. */
@Provider
public class MembershipRefusedMapper implements ExceptionMapper<MembershipRefusedException> {
    @Override
    public Response toResponse(MembershipRefusedException e) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON).entity(new ApiError(e.getMessage()))
                .build();
    }
}
