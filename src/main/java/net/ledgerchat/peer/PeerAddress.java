package net.ledgerchat.peer;

import java.util.Objects;
import java.util.Optional;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;

/** A peer to dial, from the peers file: where it listens and, optionally, the only key it may prove. */
public record PeerAddress(String host, int port, Optional<String> key) {
    private static final int MAX_HOST_LENGTH = 253;

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(key, "key");
        if (host.isBlank() || host.length() > MAX_HOST_LENGTH || !host.strip().equals(host)) {
            throw new IllegalArgumentException("host must be 1 to " + MAX_HOST_LENGTH + " characters without spaces");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, not " + port);
        }
        if (key.isPresent() && !Hex.isHex(key.get(), Block.KEY_BYTES)) {
            throw new IllegalArgumentException("key must be 64 lower-case hex digits");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
