package net.ledgerchat.membership;

/** Why a block's kind may not be written by its author at its parents (DESIGN section 7); each names one rule. */
public enum Refusal {
    NOT_A_MEMBER("not a member"),
    NOT_AN_ADMIN("not an admin"),
    NOT_THE_FOUNDER("not the founder"),
    OUTRANKED("outranked"),
    NOT_AN_INVITE("no such invite"),
    INVITE_ALREADY_USED("invite already used"),
    INVITE_REVOKED("invite revoked"),
    INVITE_VOID("the invite's author is no longer an admin"),
    BAD_PROOF("invite proof does not verify"),
    ALREADY_A_MEMBER("already a member"),
    TARGET_NOT_A_MEMBER("the target is not a member"),
    FOUNDER_CANNOT_LEAVE("the founder must hand the founder's rank over before leaving"),
    HAND_OVER_TO_NON_ADMIN("the founder's rank goes only to an admin"),
    OWN_RANK("the founder cannot set its own rank"),
    TOO_MANY_OPEN_INVITES("too many open invites"),
    SECOND_GENESIS("a group has one genesis");

    private final String description;

    Refusal(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
