package net.ledgerchat.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Cursor;
import net.ledgerchat.store.StoredBlock;

/** A full block on the wire: every field of DESIGN section 2, plus its cursor on the way out. */
public class BlockJson {
    public String hash;
    public List<String> parents;
    public long height;
    public String author;
    public String sender;
    public String timestamp;
    public String message;
    public String signature;
    public String cursor;

    static BlockJson of(StoredBlock stored) {
        Block b = stored.block();
        BlockJson json = new BlockJson();
        json.hash = b.hash();
        json.parents = b.parents();
        json.height = b.height();
        json.author = b.author();
        json.sender = b.sender();
        json.timestamp = Json.instant(b.timestamp());
        json.message = b.message();
        json.signature = b.signature();
        json.cursor = Cursor.encode(stored.key());
        return json;
    }

    Block toBlock() throws RequestRefusedException {
        if (parents == null || author == null || sender == null || timestamp == null || message == null || hash == null
                || signature == null) {
            throw new RequestRefusedException("malformed block: hash, parents, height, author, sender, timestamp,"
                    + " message and signature are all required");
        }
        try {
            return new Block(parents, height, author, sender, Instant.parse(timestamp), message, hash, signature);
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new RequestRefusedException("malformed block: " + e.getMessage());
        }
    }
}
