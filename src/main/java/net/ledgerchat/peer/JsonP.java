package net.ledgerchat.peer;

import jakarta.json.spi.JsonProvider;

/**
 * The package's one JSON-P provider. {@code Json.createObjectBuilder()} and its siblings look the provider up
 * through the ServiceLoader on every call; on the send and gossip paths that lookup was a fifth of a node's
 * CPU (flight recordings in docs/benchmarks-log.md). Providers are thread-safe.
 */
final class JsonP {
    static final JsonProvider PROVIDER = JsonProvider.provider();

    private JsonP() {
    }
}
