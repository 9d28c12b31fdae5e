package net.ledgerchat.chat;

import java.util.List;

/** Messages oldest first; {@code before} is the cursor of the next older page, null at the first message. */
public record MessagePage(List<ChatMessage> messages, String before) {
    public MessagePage {
        messages = List.copyOf(messages);
    }
}
