package net.ledgerchat.peer;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** Typed, strict reads of a frame's fields: a wrong type or range is a MALFORMED frame, never a crash. */
final class JsonFields {
    private JsonFields() {
    }

    static String text(JsonObject body, String field, String what) throws FrameException {
        if (!(body.get(field) instanceof JsonString s)) {
            throw new FrameException(FrameException.Reason.MALFORMED, what + field + " must be a string");
        }
        return s.getString();
    }

    /** A whole number that fits a long: {@code longValue()} would quietly wrap 2^64 + 1 around to 1. */
    static long wholeNumber(JsonObject body, String field, String what) throws FrameException {
        if (!(body.get(field) instanceof JsonNumber n) || !n.isIntegral()) {
            throw new FrameException(FrameException.Reason.MALFORMED, what + field + " must be a whole number");
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new FrameException(FrameException.Reason.MALFORMED, what + field + " is out of range");
        }
    }
}
