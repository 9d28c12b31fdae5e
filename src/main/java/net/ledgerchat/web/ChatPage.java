package net.ledgerchat.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.ZoneId;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.NodeIdentity;

/** What the chat view needs to render its shell; the messages themselves come over {@code /ws/chat}. */
@Named
@RequestScoped
public class ChatPage {
    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;

    public String getNodeName() {
        return settings.clientName();
    }

    public String getNodeKey() {
        return identity.publicKey();
    }

    /** {@code USER_TIMEZONE}, or empty: then the page uses the browser's zone. */
    public String getTimeZone() {
        return settings.userTimezone().map(ZoneId::getId).orElse("");
    }

    public int getMaxMessageBytes() {
        return settings.limits().maxMessageBytes();
    }
}
