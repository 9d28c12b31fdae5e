package net.ledgerchat.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import net.ledgerchat.chat.RequestRefusedException;

/** A refused request is a 400 with the reason, never a stack trace. */
@Provider
public class RefusedMapper implements ExceptionMapper<RequestRefusedException> {
    @Override
    public Response toResponse(RequestRefusedException e) {
        return ApiError.badRequest(e.getMessage());
    }
}
