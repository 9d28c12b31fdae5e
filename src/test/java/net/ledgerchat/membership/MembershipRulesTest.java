package net.ledgerchat.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.InviteKey;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.Rank;
import org.junit.jupiter.api.Test;

/** Each rule of DESIGN section 7's table, and strong remove, on small hand-made histories. */
class MembershipRulesTest {
    private final NodeIdentity founder = NodeIdentity.generate();
    private final NodeIdentity admin = NodeIdentity.generate();
    private final NodeIdentity bob = NodeIdentity.generate();
    private final NodeIdentity carol = NodeIdentity.generate();
    private final History history = new History(founder, "founder");

    private static List<String> on(String... parents) {
        return List.of(parents);
    }

    private History.Written message(NodeIdentity author, List<String> parents, String text) {
        return history.write(author, parents, new Body.Message("00".repeat(16), text));
    }

    /** An invite by {@code by} on {@code parents} and an admit of {@code joiner} through it by {@code admitter}. */
    private String join(NodeIdentity by, NodeIdentity admitter, NodeIdentity joiner, String name, List<String> parents) {
        InviteKey key = InviteKey.generate();
        String invite = history.write(by, parents, new Body.Invite(key.publicKey(), History.T0.plusSeconds(86_400))).hash();
        return admit(admitter, joiner, name, key, invite, on(invite)).hash();
    }

    private History.Written admit(NodeIdentity admitter, NodeIdentity joiner, String name, InviteKey key, String invite,
                                  List<String> parents) {
        String proof = key.prove(history.groupId(), invite, joiner.publicKey());
        return history.write(admitter, parents, new Body.Admit(joiner.publicKey(), name, invite, proof));
    }

    private String promote(NodeIdentity who, Rank rank, List<String> parents) {
        return history.write(founder, parents, new Body.Role(who.publicKey(), rank)).hash();
    }

    /** founder, admin (promoted), bob and carol (members); answers the head. */
    private String group() {
        String a = join(founder, founder, admin, "admin", on(history.genesis()));
        String p = promote(admin, Rank.ADMIN, on(a));
        String b = join(admin, admin, bob, "bob", on(p));
        return join(admin, bob, carol, "carol", on(b));
    }

    private Refusal refusal(History.Written written) {
        return written.refusal();
    }

    @Test
    void aKeyThatNoAdmitNamesMayWriteNothing() {
        String head = group();
        NodeIdentity stranger = NodeIdentity.generate();
        assertEquals(Refusal.NOT_A_MEMBER, refusal(message(stranger, on(head), "hi")));
        assertEquals(Refusal.NOT_A_MEMBER, refusal(history.write(stranger, on(head),
                new Body.Invite(InviteKey.generate().publicKey(), History.T0.plusSeconds(86_400)))));
        assertNull(refusal(message(carol, on(head), "hi")));
        assertEquals(4, history.membership().members().size());
    }

    @Test
    void onlyAdminsInviteAndOnlyTheFounderSetsRanks() {
        String head = group();
        assertEquals(Refusal.NOT_AN_ADMIN, refusal(history.write(bob, on(head),
                new Body.Invite(InviteKey.generate().publicKey(), History.T0.plusSeconds(86_400)))));
        assertEquals(Refusal.NOT_THE_FOUNDER, refusal(history.write(admin, on(head), new Body.Role(bob.publicKey(), Rank.ADMIN))));
        assertEquals(Refusal.OWN_RANK, refusal(history.write(founder, on(head), new Body.Role(founder.publicKey(), Rank.MEMBER))));
        assertEquals(Refusal.HAND_OVER_TO_NON_ADMIN, refusal(history.write(founder, on(head),
                new Body.Role(bob.publicKey(), Rank.FOUNDER))));
    }

    @Test
    void nobodyRemovesSomeoneOfEqualOrHigherRank() {
        String head = group();
        assertEquals(Refusal.OUTRANKED, refusal(history.write(admin, on(head), new Body.Remove(founder.publicKey()))));
        assertEquals(Refusal.OUTRANKED, refusal(history.write(bob, on(head), new Body.Remove(carol.publicKey()))));
        String second = promote(bob, Rank.ADMIN, on(head));
        assertEquals(Refusal.OUTRANKED, refusal(history.write(admin, on(second), new Body.Remove(bob.publicKey()))));
        assertEquals(Refusal.FOUNDER_CANNOT_LEAVE, refusal(history.write(founder, on(second), new Body.Remove(founder.publicKey()))));
        assertNull(refusal(history.write(founder, on(second), new Body.Remove(bob.publicKey()))));
        assertNull(refusal(history.write(carol, on(second), new Body.Remove(carol.publicKey()))), "anyone may leave");
    }

    @Test
    void anInviteAdmitsOnceAndNotAfterItsRevoke() {
        String head = group();
        InviteKey key = InviteKey.generate();
        String invite = history.write(admin, on(head), new Body.Invite(key.publicKey(), History.T0.plusSeconds(86_400))).hash();
        NodeIdentity dave = NodeIdentity.generate();
        NodeIdentity erin = NodeIdentity.generate();
        History.Written forged = admit(bob, dave, "dave", InviteKey.generate(), invite, on(invite));
        assertEquals(Refusal.BAD_PROOF, refusal(forged));
        String admitted = admit(bob, dave, "dave", key, invite, on(invite)).hash();
        assertEquals(Refusal.INVITE_ALREADY_USED, refusal(admit(carol, erin, "erin", key, invite, on(admitted))));
        InviteKey again = InviteKey.generate();
        String third = history.write(admin, on(admitted), new Body.Invite(again.publicKey(), History.T0.plusSeconds(86_400))).hash();
        assertEquals(Refusal.ALREADY_A_MEMBER, refusal(admit(carol, dave, "dave", again, third, on(third))));

        InviteKey other = InviteKey.generate();
        String second = history.write(admin, on(admitted), new Body.Invite(other.publicKey(), History.T0.plusSeconds(86_400))).hash();
        String revoked = history.write(admin, on(second), new Body.Revoke(second)).hash();
        assertEquals(Refusal.INVITE_REVOKED, refusal(admit(bob, erin, "erin", other, second, on(revoked))));
        assertEquals(Refusal.NOT_AN_INVITE, refusal(history.write(admin, on(revoked), new Body.Revoke(head))));
    }

    @Test
    void anInviteDiesWithItsAuthorsAdminRank() {
        String head = group();
        InviteKey key = InviteKey.generate();
        String invite = history.write(admin, on(head), new Body.Invite(key.publicKey(), History.T0.plusSeconds(86_400))).hash();
        String demoted = promote(admin, Rank.MEMBER, on(invite));
        assertEquals(Refusal.INVITE_VOID, refusal(admit(bob, NodeIdentity.generate(), "dave", key, invite, on(demoted))));
    }

    @Test
    void aRemovedMembersLaterAndBackdatedBlocksDoNotCount() {
        String head = group();
        String before = message(carol, on(head), "before").hash();
        String concurrent = message(carol, on(head), "written while being removed").hash();
        String removed = history.write(admin, on(before), new Body.Remove(carol.publicKey())).hash();
        assertEquals(Refusal.NOT_A_MEMBER, refusal(message(carol, on(removed), "after")));
        // Backdated: written on parents from before its removal, after it.
        String backdated = message(carol, on(head), "backdated").hash();
        assertTrue(history.counts(before));
        assertFalse(history.counts(concurrent));
        assertFalse(history.counts(backdated));
        assertFalse(history.membership().isMember(carol.publicKey()));
    }

    @Test
    void aRemovedAdminsBackdatedRemovalsAndInvitesDoNotCount() {
        String head = group();
        String removal = history.write(founder, on(head), new Body.Remove(admin.publicKey())).hash();
        String backdatedRemove = history.write(admin, on(head), new Body.Remove(bob.publicKey())).hash();
        String backdatedInvite = history.write(admin, on(head),
                new Body.Invite(InviteKey.generate().publicKey(), History.T0.plusSeconds(86_400))).hash();
        assertTrue(history.counts(removal));
        assertFalse(history.counts(backdatedRemove));
        assertFalse(history.counts(backdatedInvite));
        assertTrue(history.membership().isMember(bob.publicKey()), "the backdated removal removed no one");
        String bobsMessage = message(bob, on(removal), "still here").hash();
        assertTrue(history.counts(bobsMessage));
    }

    @Test
    void twoConcurrentAdmitsOfOneInviteAreBothVoid() {
        String head = group();
        InviteKey key = InviteKey.generate();
        String invite = history.write(admin, on(head), new Body.Invite(key.publicKey(), History.T0.plusSeconds(86_400))).hash();
        NodeIdentity dave = NodeIdentity.generate();
        NodeIdentity erin = NodeIdentity.generate();
        String first = admit(bob, dave, "dave", key, invite, on(invite)).hash();
        String second = admit(carol, erin, "erin", key, invite, on(invite)).hash();
        assertFalse(history.counts(first));
        assertFalse(history.counts(second));
        assertFalse(history.membership().isMember(dave.publicKey()));
        assertFalse(history.membership().isMember(erin.publicKey()));
        assertEquals(List.of(dave.publicKey(), erin.publicKey()), history.membership().keysAdmittedWith(invite));
    }

    @Test
    void aRemovalBeatsAConcurrentPromotion() {
        String head = group();
        String promotion = promote(bob, Rank.ADMIN, on(head));
        String removal = history.write(admin, on(head), new Body.Remove(bob.publicKey())).hash();
        assertFalse(history.counts(promotion));
        assertTrue(history.counts(removal));
        assertFalse(history.membership().isMember(bob.publicKey()));
    }

    @Test
    void adminsPromotedConcurrentlyWhoRemoveEachOtherBothStay() {
        String head = group();
        String bobUp = promote(bob, Rank.ADMIN, on(head));
        String carolUp = promote(carol, Rank.ADMIN, on(head));
        String bobRemovesCarol = history.write(bob, on(bobUp), new Body.Remove(carol.publicKey())).hash();
        String carolRemovesBob = history.write(carol, on(carolUp), new Body.Remove(bob.publicKey())).hash();
        assertFalse(history.counts(bobRemovesCarol));
        assertFalse(history.counts(carolRemovesBob));
        assertTrue(history.membership().isMember(bob.publicKey()));
        assertTrue(history.membership().isMember(carol.publicKey()));
    }

    @Test
    void theFoundersHandOverMakesAnotherFounderAndVoidsItsOwnConcurrentRoles() {
        String head = group();
        String handOver = promote(admin, Rank.FOUNDER, on(head));
        String concurrentRole = promote(bob, Rank.ADMIN, on(head));
        assertTrue(history.counts(handOver));
        assertFalse(history.counts(concurrentRole));
        List<Member> members = history.membership().members();
        assertEquals(admin.publicKey(), members.get(0).key());
        assertEquals(Rank.FOUNDER, members.get(0).rank());
        assertNull(refusal(history.write(admin, on(handOver), new Body.Remove(founder.publicKey()))),
                "the new founder outranks the old one, now an admin");
    }

    @Test
    void aRemovedMemberReadmittedByANewInviteCountsAgain() {
        String head = group();
        String removed = history.write(admin, on(head), new Body.Remove(carol.publicKey())).hash();
        String back = join(admin, bob, carol, "carol", on(removed));
        String message = message(carol, on(back), "back").hash();
        assertTrue(history.counts(message));
        assertTrue(history.membership().isMember(carol.publicKey()));
    }

    @Test
    void twoMembersWhoShareANameAreToldApartByTheirKeys() {
        String head = group();
        Membership membership = history.membership();
        assertEquals(java.util.Optional.of("bob"), membership.displayNameOf(bob.publicKey()), "a name nobody else has");
        NodeIdentity otherBob = NodeIdentity.generate();
        join(admin, admin, otherBob, "bob", on(head));
        assertEquals(java.util.Set.of(bob.publicKey(), otherBob.publicKey()), membership.keysNamed("bob"));
        assertEquals(java.util.Optional.of("bob · " + bob.publicKey().substring(0, 8)), membership.displayNameOf(bob.publicKey()));
        assertEquals(java.util.Optional.of("bob · " + otherBob.publicKey().substring(0, 8)),
                membership.displayNameOf(otherBob.publicKey()));
        assertEquals(java.util.Optional.of("carol"), membership.displayNameOf(carol.publicKey()));
    }
}
