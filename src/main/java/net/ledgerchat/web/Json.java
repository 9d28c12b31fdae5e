package net.ledgerchat.web;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.ledgerchat.chat.RequestRefusedException;

/** Reads request bodies with a size bound and strict UTF-8, and formats instants as the API promises. */
@ApplicationScoped
public class Json {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Beyond this much of an oversize body the connection is simply dropped. */
    private static final long DRAIN_LIMIT = 8L << 20;
    private final Jsonb jsonb = JsonbBuilder.create();

    public <T> T read(InputStream body, int maxBytes, Class<T> type) throws RequestRefusedException {
        String text = readBounded(body, maxBytes);
        if (text.isBlank()) {
            throw new RequestRefusedException("request body is empty: expected JSON");
        }
        try {
            T value = jsonb.fromJson(text, type);
            if (value == null) {
                throw new RequestRefusedException("malformed JSON: expected an object");
            }
            return value;
        } catch (JsonbException e) {
            throw new RequestRefusedException("malformed JSON: " + rootMessage(e));
        }
    }

    public static String instant(Instant instant) {
        return instant == null ? null : UTC_MILLIS.format(instant);
    }

    private static String readBounded(InputStream body, int maxBytes) throws RequestRefusedException {
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                // Read (and drop) a bounded remainder so the client is still reading when the 400 comes.
                drain(body);
                throw new RequestRefusedException("request body is over " + maxBytes + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RequestRefusedException("request body is not valid UTF-8");
        } catch (IOException e) {
            throw new RequestRefusedException("request body could not be read: " + e.getMessage());
        }
    }

    private static void drain(InputStream body) throws IOException {
        byte[] sink = new byte[8192];
        long left = DRAIN_LIMIT;
        int n;
        while (left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            java.util.logging.Logger.getLogger(Json.class.getName()).fine("[Web] closing JSON-B: " + e);
        }
    }
}
