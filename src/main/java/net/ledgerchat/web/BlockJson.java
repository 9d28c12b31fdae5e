package net.ledgerchat.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import net.ledgerchat.chat.RequestRefusedException;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Cursor;
import net.ledgerchat.ledger.Header;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Limits;
import net.ledgerchat.store.StoredBlock;

/**
 * A full block on the wire: the header's fields of DESIGN section 7 (the kind by name, the timestamp as ISO-8601),
 * the body as Base64 of its canonical encoding, hash and signature, plus its cursor on the way out.
 */
public class BlockJson {
    public String hash;
    public String group;
    public List<String> parents;
    public long height;
    public String author;
    public String timestamp;
    public String kind;
    public String body;
    public String signature;
    public String cursor;

    static BlockJson of(StoredBlock stored) {
        Block b = stored.block();
        BlockJson json = new BlockJson();
        json.hash = b.hash();
        json.group = b.header().group();
        json.parents = b.parents();
        json.height = b.height();
        json.author = b.author();
        json.timestamp = Json.instant(b.timestamp());
        json.kind = b.kind().wireName();
        json.body = Base64.getEncoder().encodeToString(b.body().encode());
        json.signature = b.signature();
        json.cursor = Cursor.encode(stored.key());
        return json;
    }

    Block toBlock(Limits limits) throws RequestRefusedException {
        if (group == null || parents == null || author == null || timestamp == null || kind == null || body == null
                || hash == null || signature == null) {
            throw new RequestRefusedException("malformed block: hash, group, parents, height, author, timestamp,"
                    + " kind, body and signature are all required");
        }
        try {
            Kind parsedKind = Kind.ofWireName(kind);
            Body decoded = Body.decode(parsedKind, Base64.getDecoder().decode(body), limits);
            Header header = new Header(group, parents, height, author, Instant.parse(timestamp), parsedKind, decoded.digest());
            return new Block(header, decoded, hash, signature);
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new RequestRefusedException("malformed block: " + e.getMessage());
        }
    }
}
