package net.ledgerchat.peer;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One peer-protocol frame, {@code TYPE:<json object>} on one line (DESIGN section 3). Decoding is
 * strict: valid UTF-8 only, an upper-case type this node knows, a JSON object and nothing after it;
 * anything else is a {@link FrameException} with the reason the ERROR frame will carry.
 */
public record Frame(String type, JsonObject body) {
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z_]{0,31}");

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("frame type must be 1-32 upper-case letters or underscores: " + type);
        }
    }

    /** The frame as sent, newline included. */
    public byte[] encode() {
        return (type + ":" + body + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static Frame decode(byte[] line, Set<String> knownTypes) throws FrameException {
        String text = utf8(line);
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new FrameException(FrameException.Reason.MALFORMED, "no TYPE: prefix");
        }
        String type = text.substring(0, colon);
        if (!TYPE.matcher(type).matches()) {
            throw new FrameException(FrameException.Reason.MALFORMED, "not a frame type");
        }
        if (!knownTypes.contains(type)) {
            throw new FrameException(FrameException.Reason.UNKNOWN_TYPE, type);
        }
        return new Frame(type, object(text.substring(colon + 1)));
    }

    private static String utf8(byte[] line) throws FrameException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException(FrameException.Reason.INVALID_UTF8, "the frame is not valid UTF-8");
        }
    }

    private static JsonObject object(String json) throws FrameException {
        try (JsonParser parser = JsonP.PROVIDER.createParser(new StringReader(json))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new FrameException(FrameException.Reason.MALFORMED, "the body is not a JSON object");
            }
            JsonObject body = parser.getObject();
            // A reader would stop after the first value and ignore what follows; one frame is one object.
            if (parser.hasNext()) {
                throw new FrameException(FrameException.Reason.MALFORMED, "content after the JSON object");
            }
            return body;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            // The parser's message may quote the input; none of it is kept.
            throw new FrameException(FrameException.Reason.MALFORMED, "the body is not valid JSON");
        }
    }
}
