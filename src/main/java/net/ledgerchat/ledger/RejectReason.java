package net.ledgerchat.ledger;

/** Why a block was refused; each maps to one verification rule. */
public enum RejectReason {
    MALFORMED("malformed block"),
    EMPTY_MESSAGE("empty message"),
    FIELD_TOO_LONG("field too long"),
    FUTURE_TIMESTAMP("timestamp too far in the future"),
    BAD_HASH("hash does not match the block's contents"),
    BAD_SIGNATURE("signature does not verify"),
    WRONG_HEIGHT("height is not 1 + the highest parent height"),
    UNKNOWN_PARENT("parent block unknown"),
    BODY_MISMATCH("body does not match its digest"),
    WRONG_GROUP("not a block of this group"),
    NOT_ALLOWED("the membership rules refuse it");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
