package net.ledgerchat.chat;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Hex;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.RejectReason;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.membership.Member;
import net.ledgerchat.membership.OpenInvite;

/** What the page and the API ask of the group: invites, members, removals and ranks (DESIGN section 7). */
@ApplicationScoped
public class GroupService {
    public static final Duration DEFAULT_INVITE_LIFE = Duration.ofDays(7);
    public static final Duration LONGEST_INVITE_LIFE = Duration.ofDays(365);
    private static final Logger LOG = Logger.getLogger(GroupService.class.getName());

    // @EJB, not @Inject: see ChatService.
    @EJB
    private LedgerWriter writer;
    @Inject
    private NodeIdentity identity;

    /**
     * Writes an invite and hands back the code that carries its secret; the secret is kept nowhere else.
     *
     * @param contacts where a joiner reaches members (this node first), at most {@link InviteCode#MAX_CONTACTS}
     * @param page the chat page's address, for the link
     */
    public Invitation invite(Optional<Instant> expires, List<InviteCode.Contact> contacts, String page)
            throws RequestRefusedException, MembershipRefusedException {
        Instant now = Instant.now();
        Instant until = expires.orElse(now.plus(DEFAULT_INVITE_LIFE)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (!until.isAfter(now)) {
            throw new RequestRefusedException("expires must be in the future");
        }
        if (until.isAfter(now.plus(LONGEST_INVITE_LIFE))) {
            throw new RequestRefusedException("expires must be within " + LONGEST_INVITE_LIFE.toDays() + " days");
        }
        InviteKey key = InviteKey.generate();
        Block invite = write(new Body.Invite(key.publicKey(), until));
        InviteCode code = new InviteCode(writer.groupId(), invite.hash(),
                contacts.subList(0, Math.min(contacts.size(), InviteCode.MAX_CONTACTS)), key.secret());
        LOG.info(() -> "[Members] Made invite " + invite.hash() + ", open until " + until);
        return new Invitation(invite.hash(), code.text(), code.linkFor(page), until);
    }

    /**
     * The authors of blocks this node holds that do not count (written after their author's removal, concurrently
     * with it, or backdated), most first: such blocks stay in the ledger and are counted per author, never shown.
     */
    public List<NotCounting> notCounting() {
        java.util.Map<String, Long> counts = new java.util.HashMap<>(writer.hiddenMessagesByAuthor());
        return writer.readMembership(m -> {
            m.notCountingByAuthor().forEach((author, blocks) -> counts.merge(author, blocks, Long::sum));
            return counts.entrySet().stream()
                    .map(e -> new NotCounting(e.getKey(), m.nameOf(e.getKey()).orElse(null), e.getValue()))
                    .sorted(java.util.Comparator.comparingLong(NotCounting::blocks).reversed().thenComparing(NotCounting::author))
                    .toList();
        });
    }

    /** {@code name} from the author's admit, null for a key never admitted. */
    public record NotCounting(String author, String name, long blocks) {
    }

    public List<OpenInvite> openInvites() {
        Instant now = Instant.now();
        return writer.readMembership(m -> m.openInvites(now));
    }

    /** Revokes an open invite; false when no open invite has this id. */
    public boolean revoke(String id) throws MembershipRefusedException {
        if (openInvites().stream().noneMatch(i -> i.id().equals(id))) {
            return false;
        }
        write(new Body.Revoke(id));
        LOG.info(() -> "[Members] Revoked invite " + id);
        return true;
    }

    /**
     * Joins the group of the invite {@code code} instead of the one this node founded, which must hold nothing but its
     * genesis; answers the parsed invite, whose members the node then dials.
     */
    public InviteCode join(String code) throws RequestRefusedException {
        InviteCode invite;
        try {
            invite = InviteCode.parse(code == null ? "" : code);
        } catch (InviteCode.InvalidInviteCode e) {
            throw new RequestRefusedException("not a usable invite: " + e.getMessage());
        }
        if (invite.groupId().equals(writer.groupId()) && !writer.joinable()) {
            throw new RequestRefusedException("this node already belongs to that group");
        }
        writer.joinInstead(invite);
        return invite;
    }

    /** The members now, founder first. */
    public List<Member> members() {
        return writer.readMembership(m -> m.members());
    }

    /** Removes a member (someone this node's owner outranks), or leaves the group (this node's own key). */
    public void remove(String key) throws RequestRefusedException, MembershipRefusedException {
        requireKey(key);
        write(new Body.Remove(key));
        LOG.info(() -> key.equals(identity.publicKey()) ? "[Members] This node left the group"
                : "[Members] Removed member " + key);
    }

    /** Sets a member's rank (the founder only; handing over the founder's rank makes this node an admin). */
    public void setRank(String key, String rank) throws RequestRefusedException, MembershipRefusedException {
        requireKey(key);
        Rank parsed;
        try {
            parsed = Rank.ofWireName(rank == null ? "" : rank);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException("rank must be founder, admin or member");
        }
        write(new Body.Role(key, parsed));
        LOG.info(() -> "[Members] Set the rank of " + key + " to " + parsed.wireName());
    }

    private static void requireKey(String key) throws RequestRefusedException {
        if (key == null || !Hex.isHex(key, Block.KEY_BYTES)) {
            throw new RequestRefusedException("a member key is " + Block.KEY_BYTES * 2 + " lower-case hex digits");
        }
    }

    private Block write(Body body) throws MembershipRefusedException {
        try {
            return writer.write(body).block();
        } catch (BlockRejectedException e) {
            if (e.reason() == RejectReason.NOT_ALLOWED) {
                throw new MembershipRefusedException(e.why());
            }
            throw new IllegalStateException("[Members] This node's own " + body.kind().wireName() + " block was refused: "
                    + e.getMessage(), e);
        }
    }
}
