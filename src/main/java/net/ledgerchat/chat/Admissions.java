package net.ledgerchat.chat;

import java.time.Instant;
import java.util.Optional;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.store.StoredBlock;

/**
 * A member admitting a joiner who presents an invite and the proof that it holds the invite's secret (DESIGN
 * section 7): the invite is checked by this node's own clock (expired) here, and by the membership rules (used,
 * revoked, forged proof, its author no longer an admin) as the writer places the admit. Refused with the reason.
 */
final class Admissions {
    private final Writer writer;

    Admissions(Writer writer) {
        this.writer = writer;
    }

    StoredBlock admit(String joiner, String name, String invite, String proof) throws BlockRejectedException {
        Optional<Instant> expires = writer.readMembership(m -> m.inviteExpiry(invite));
        if (expires.isEmpty()) {
            throw new BlockRejectedException(RejectReason.NOT_ALLOWED, "no such invite in this group");
        }
        Instant now = writer.now();
        if (!expires.get().isAfter(now)) {
            throw new BlockRejectedException(RejectReason.NOT_ALLOWED, "invite expired at " + expires.get());
        }
        Body.Admit body;
        try {
            body = new Body.Admit(joiner, name, invite, proof);
        } catch (IllegalArgumentException e) {
            throw new BlockRejectedException(RejectReason.MALFORMED, "invite proof: " + e.getMessage());
        }
        return writer.write(body, null, now);
    }
}
