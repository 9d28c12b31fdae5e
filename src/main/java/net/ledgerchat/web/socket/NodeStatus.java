package net.ledgerchat.web.socket;

/** What the page's header shows about the node: its name, peers linked of those known, and whether all linked are in sync. */
record NodeStatus(String name, int peersLinked, int peersKnown, boolean inSync) {
}
