package net.ledgerchat.web.socket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws/chat}: one chat page (its Origin was checked by {@link OriginCheck}). Each text frame is
 * answered through {@link ChatFrames}; frames are bounded to what the largest valid send can take.
 */
public class ChatEndpoint extends Endpoint {
    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());
    private final ChatSockets sockets;
    private final int maxFrameChars;

    ChatEndpoint(ChatSockets sockets, int maxFrameChars) {
        this.sockets = sockets;
        this.maxFrameChars = maxFrameChars;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(maxFrameChars);
        ChatFrames frames = sockets.frames();
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                sockets.send(session, frames.answer(text)));
        sockets.opened(session);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        sockets.closed(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
        // A frame over the size bound ends up here, and the container closes the session.
        LOG.log(Level.FINE, "[Web] Chat WebSocket error", error);
        sockets.closed(session);
    }
}
