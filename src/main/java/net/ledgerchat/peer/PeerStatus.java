package net.ledgerchat.peer;

import jakarta.json.bind.annotation.JsonbNillable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One row of GET /api/peers. */
@JsonbNillable
public record PeerStatus(String host, int port, String name, String key, boolean connected, Instant lastSeen,
                         boolean inSync) {
    static PeerStatus of(String host, int port, Optional<PeerLink> link, List<String> ourHeads) {
        if (link.isEmpty()) {
            return new PeerStatus(host, port, null, null, false, null, false);
        }
        PeerSession s = link.get().session();
        long seen = link.get().lastSeen();
        return new PeerStatus(host, port, s.peerName(), s.peerKey(), true, seen == 0 ? null : Instant.ofEpochMilli(seen),
                ourHeads.equals(s.peerHeads()));
    }
}
