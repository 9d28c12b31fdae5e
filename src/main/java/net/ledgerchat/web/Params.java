package net.ledgerchat.web;

import net.ledgerchat.chat.ChatService;
import net.ledgerchat.chat.RequestRefusedException;

/** Query parameters parsed here so a bad one is a clear 400, not the framework's 404. */
final class Params {
    private Params() {
    }

    static int limit(String raw) throws RequestRefusedException {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new RequestRefusedException("limit must be a whole number from 1 to " + ChatService.MAX_PAGE);
        }
    }
}
