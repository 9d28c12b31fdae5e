package net.ledgerchat.chat;

import java.time.Instant;

/** A message as the page and API show it; {@code mine} is decided by author key, never by name. */
public record ChatMessage(String id, String sender, String author, Instant timestamp, String text, boolean mine,
                          String cursor) {
}
