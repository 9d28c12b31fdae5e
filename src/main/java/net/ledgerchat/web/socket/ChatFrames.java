package net.ledgerchat.web.socket;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Optional;
import net.ledgerchat.chat.ChatMessage;
import net.ledgerchat.chat.ChatService;
import net.ledgerchat.chat.MessagePage;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.ledger.Cursor;

/**
 * The page's protocol on {@code /ws/chat}, JSON both ways. From the page: {@code send} (text and the
 * page's own {@code ref} for the pending bubble), {@code history} and {@code older} (by cursor). To the
 * page: {@code message} (every stored message, local or from a peer, with its cursor and its sortable
 * {@code order}), {@code sent} or {@code error} for a send (by ref), {@code history} and {@code older}
 * pages (with the request's {@code ref}, so the page tells a catch-up after a reconnect from a scroll),
 * {@code status}, and {@code error} for a frame it could not take. Translates and delegates only.
 */
final class ChatFrames {
    private static final int MAX_REF = 64;
    /** Looked up once: {@code Json.create*} asks the ServiceLoader on every call (see peer.JsonP). */
    private static final JsonProvider JSON = JsonProvider.provider();
    private final ChatService chat;

    ChatFrames(ChatService chat) {
        this.chat = chat;
    }

    /** The answer to one frame from the page (never null: a bad frame is answered with an error). */
    String answer(String text) {
        JsonObject frame;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            frame = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return error(null, "malformed frame: expected a JSON object");
        }
        String ref = string(frame, "ref").filter(r -> r.length() <= MAX_REF).orElse(null);
        try {
            return switch (string(frame, "type").orElse("")) {
                case "send" -> sent(ref, chat.send(string(frame, "text").orElse(null), key(frame)));
                case "history" -> page("history", ref, chat.page(Optional.empty(), limit(frame)));
                case "older" -> page("older", ref, chat.page(Optional.of(string(frame, "before")
                        .orElseThrow(() -> new RequestRefusedException("older needs a before cursor"))), limit(frame)));
                default -> error(ref, "unknown frame type: expected send, history or older");
            };
        } catch (RequestRefusedException e) {
            return error(ref, e.getMessage());
        }
    }

    static String message(ChatMessage m) {
        return JSON.createObjectBuilder().add("type", "message").add("message", messageJson(m)).build().toString();
    }

    static String status(NodeStatus status) {
        return JSON.createObjectBuilder().add("type", "status").add("name", status.name())
                .add("peersLinked", status.peersLinked()).add("peersKnown", status.peersKnown())
                .add("inSync", status.inSync()).build().toString();
    }

    static String error(String ref, String error) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("type", "error").add("error", error);
        if (ref != null) {
            b.add("ref", ref);
        }
        return b.build().toString();
    }

    private static String sent(String ref, ChatMessage m) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("type", "sent").add("message", messageJson(m));
        if (ref != null) {
            b.add("ref", ref);
        }
        return b.build().toString();
    }

    private static String page(String type, String ref, MessagePage page) {
        JsonArrayBuilder messages = JSON.createArrayBuilder();
        page.messages().forEach(m -> messages.add(messageJson(m)));
        JsonObjectBuilder b = JSON.createObjectBuilder().add("type", type).add("messages", messages);
        if (ref != null) {
            b.add("ref", ref);
        }
        if (page.before() == null) {
            b.addNull("before");
        } else {
            b.add("before", page.before());
        }
        return b.build().toString();
    }

    /** The API's message shape plus {@code order}, a key that sorts as the ledger does. */
    private static JsonObject messageJson(ChatMessage m) {
        return JSON.createObjectBuilder().add("id", m.id()).add("sender", m.sender()).add("author", m.author())
                .add("timestamp", net.ledgerchat.web.Json.instant(m.timestamp())).add("text", m.text()).add("mine", m.mine())
                .add("cursor", m.cursor()).add("order", Cursor.decode(m.cursor()).sortKey())
                .build();
    }

    private static int limit(JsonObject frame) throws RequestRefusedException {
        JsonValue value = frame.get("limit");
        if (value == null) {
            return ChatService.DEFAULT_PAGE;
        }
        if (!(value instanceof JsonNumber n) || !n.isIntegral()) {
            throw new RequestRefusedException("limit must be a whole number");
        }
        return n.intValue();
    }

    /** The send's idempotency key, or null without one; any other JSON value there is refused, not ignored. */
    private static String key(JsonObject frame) throws RequestRefusedException {
        JsonValue key = frame.get("key");
        if (key == null || key.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (key instanceof JsonString s) {
            return s.getString();
        }
        throw new RequestRefusedException("key must be a string");
    }

    private static Optional<String> string(JsonObject frame, String field) {
        return frame.get(field) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }
}
