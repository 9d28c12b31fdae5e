package net.ledgerchat.peer;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the peers file in the original format, {@code {"peers":[{"ip":"127.0.0.1","port":5002}]}}, plus an
 * optional {@code "key"} per peer that pins the public key it must prove. A missing file means no peers (a
 * node may start alone); anything else wrong is refused with a message naming the file and the entry, so
 * a typo never silently drops a peer.
 */
public final class PeersFile {
    static final long MAX_BYTES = 1024 * 1024;
    static final int MAX_PEERS = 1_000;
    private static final Set<String> FIELDS = Set.of("ip", "port", "key");

    private PeersFile() {
    }

    /** The peers, in file order; empty when the file does not exist. */
    public static List<PeerAddress> read(Path file) throws PeersFileException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new PeersFileException(file, "is larger than " + MAX_BYTES + " bytes");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (CharacterCodingException e) {
            throw new PeersFileException(file, "is not valid UTF-8");
        } catch (IOException e) {
            throw new PeersFileException(file, "cannot be read: " + e.getMessage());
        }
        return parse(file, text);
    }

    static List<PeerAddress> parse(Path file, String text) throws PeersFileException {
        JsonValue root;
        try (JsonReader reader = JsonP.PROVIDER.createReader(new StringReader(text))) {
            root = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new PeersFileException(file, "is not valid JSON");
        }
        if (root.getValueType() != JsonValue.ValueType.OBJECT
                || root.asJsonObject().get("peers") == null
                || root.asJsonObject().get("peers").getValueType() != JsonValue.ValueType.ARRAY) {
            throw new PeersFileException(file, "must be an object with a \"peers\" list");
        }
        List<JsonValue> entries = root.asJsonObject().getJsonArray("peers");
        if (entries.size() > MAX_PEERS) {
            throw new PeersFileException(file, "lists " + entries.size() + " peers; at most " + MAX_PEERS);
        }
        List<PeerAddress> peers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PeerAddress peer = entry(file, i + 1, entries.get(i));
            if (!seen.add(peer.toString())) {
                throw new PeersFileException(file, "lists " + peer + " twice");
            }
            peers.add(peer);
        }
        return List.copyOf(peers);
    }

    private static PeerAddress entry(Path file, int number, JsonValue value) throws PeersFileException {
        String where = "peer " + number;
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new PeersFileException(file, where + " is not an object");
        }
        JsonObject entry = value.asJsonObject();
        for (String field : entry.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new PeersFileException(file, where + " has an unknown field '" + field + "' (known: ip, port, key)");
            }
        }
        if (!(entry.get("ip") instanceof JsonString ip)) {
            throw new PeersFileException(file, where + " needs \"ip\" as a string");
        }
        if (!(entry.get("port") instanceof JsonNumber port) || !port.isIntegral()) {
            throw new PeersFileException(file, where + " needs \"port\" as a whole number");
        }
        JsonValue key = entry.get("key");
        if (key != null && !(key instanceof JsonString)) {
            throw new PeersFileException(file, where + " has \"key\" that is not a string");
        }
        try {
            return new PeerAddress(ip.getString(), port.intValueExact(),
                    Optional.ofNullable(key).map(k -> ((JsonString) k).getString()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PeersFileException(file, where + ": " + e.getMessage());
        }
    }
}
