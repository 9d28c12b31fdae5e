package net.ledgerchat.it.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Two nodes, Ann (a) and Bob (b), on free ports, each listing the other as its peer. */
record Pair(Path dir, NodeProcess a, NodeProcess b, Map<String, String> envA, Map<String, String> envB)
        implements AutoCloseable {

    /** Creates both (not started); {@code extra} settings go to both nodes. */
    static Pair of(String testName, Map<String, String> extra) throws Exception {
        Path dir = NodeProcess.freshTestDir(testName);
        int webA = NodeProcess.freePort();
        int tcpA = NodeProcess.freePort();
        int webB = NodeProcess.freePort();
        int tcpB = NodeProcess.freePort();
        Map<String, String> envA = Group.settings(dir, "Ann", webA, tcpA, tcpB);
        Map<String, String> envB = Group.settings(dir, "Bob", webB, tcpB, tcpA);
        envA.putAll(extra);
        envB.putAll(extra);
        return new Pair(dir, new NodeProcess("a", dir.resolve("a-work"), dir, envA),
                new NodeProcess("b", dir.resolve("b-work"), dir, envB), envA, envB);
    }

    /** Starts Ann, who founds the group, then Bob with her invite, and waits until both are ready. */
    Pair started() {
        Group.start(a, List.of(b));
        return this;
    }

    int webPortA() {
        return Integer.parseInt(envA.get("WEB_PORT"));
    }

    int webPortB() {
        return Integer.parseInt(envB.get("WEB_PORT"));
    }

    @Override
    public void close() {
        try (NodeProcess first = a; NodeProcess second = b) {
            // Both are closed, the second even if closing the first fails.
        }
    }
}
