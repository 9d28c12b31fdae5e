package net.ledgerchat.peer;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Hex;

/**
 * The answer to one SYNC_REQUEST: what the asking peer lacks, found by one planning walk from its heads and
 * probes, plus the blocks it wants back by hash (a repair on its side), parents first, in SYNC_RESPONSE
 * frames of at most a batch each, the last one saying no more follow.
 */
final class SyncAnswer {
    private static final Logger LOG = Logger.getLogger(SyncAnswer.class.getName());
    /** Heads and probes a request may list. */
    static final int MAX_KNOWN = Handshake.MAX_HEADS + 64;
    private final LedgerPort ledger;
    private final int batchSize;

    SyncAnswer(LedgerPort ledger, int batchSize) {
        this.ledger = ledger;
        this.batchSize = batchSize;
    }

    /** The requester's heads as it listed them: checked hashes, at most {@link #MAX_KNOWN}. */
    static List<String> heads(JsonObject request) throws FrameException {
        return hashes(request, "heads", MAX_KNOWN);
    }

    /** Sends the answer to {@code request} from {@code peerName}, frame by frame. */
    void answer(JsonObject request, String peerName, Consumer<Frame> out) throws FrameException {
        List<String> theirs = new ArrayList<>(heads(request));
        theirs.addAll(hashes(request, "probes", MAX_KNOWN));
        List<String> missing = withWanted(ledger.missingFor(theirs), request, peerName);
        for (int from = 0; from < missing.size() || from == 0; from += batchSize) {
            JsonArrayBuilder blocks = JsonP.PROVIDER.createArrayBuilder();
            ledger.blocks(missing.subList(from, Math.min(missing.size(), from + batchSize)))
                    .forEach(b -> blocks.add(BlockCodec.toJson(b)));
            boolean more = from + batchSize < missing.size();
            out.accept(new Frame("SYNC_RESPONSE", JsonP.PROVIDER.createObjectBuilder().add("blocks", blocks)
                    .add("more", more).build()));
        }
    }

    /** Adds the wanted blocks this node holds, by height: a block is stored only after its parents. */
    private List<String> withWanted(List<String> missing, JsonObject request, String peerName) throws FrameException {
        if (!request.containsKey("want")) {
            return missing;
        }
        Set<String> planned = new HashSet<>(missing);
        List<Block> wanted = new ArrayList<>();
        for (String hash : hashes(request, "want", LedgerPort.MAX_WANTED)) {
            if (planned.add(hash)) {
                ledger.block(hash).ifPresent(wanted::add);
            }
        }
        if (wanted.isEmpty()) {
            return missing;
        }
        LOG.info(() -> "[Sync] " + peerName + " asked for " + wanted.size() + " block(s) by hash to repair its ledger");
        wanted.sort(Comparator.comparingLong(Block::height));
        List<String> all = new ArrayList<>(missing);
        wanted.forEach(b -> all.add(b.hash()));
        return all;
    }

    private static List<String> hashes(JsonObject body, String field, int max) throws FrameException {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new FrameException(FrameException.Reason.MALFORMED, field + " must be a list");
        }
        JsonArray array = value.asJsonArray();
        if (array.size() > max) {
            throw new FrameException(FrameException.Reason.MALFORMED, field + " lists more than " + max);
        }
        List<String> hashes = new ArrayList<>(array.size());
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s) || !Hex.isHex(s.getString(), 32)) {
                throw new FrameException(FrameException.Reason.MALFORMED, field + " holds something that is not a hash");
            }
            hashes.add(s.getString());
        }
        return hashes;
    }
}
