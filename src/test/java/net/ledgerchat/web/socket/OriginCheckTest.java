package net.ledgerchat.web.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginCheckTest {
    private final OriginCheck check = new OriginCheck(List.of("https://chat.example.org"),
            Set.of("localhost", "127.0.0.1", "[::1]", "10.0.0.5", "mybox"), 8001, () -> null);

    @Test
    void theNodesOwnPagesMayConnect() {
        assertTrue(check.allows("http://localhost:8001"));
        assertTrue(check.allows("http://127.0.0.1:8001"));
        assertTrue(check.allows("http://[::1]:8001"));
        assertTrue(check.allows("http://10.0.0.5:8001"));
        assertTrue(check.allows("HTTP://MyBox:8001"));
        assertTrue(check.allows("https://chat.example.org"), "an allowed origin");
    }

    @Test
    void otherSitesAndOtherPortsMayNot() {
        assertFalse(check.allows(null), "no Origin at all");
        assertFalse(check.allows("null"), "a sandboxed or file page");
        assertFalse(check.allows("http://evil.example"));
        assertFalse(check.allows("http://evil.example:8001"), "a name is never looked up (DNS rebinding)");
        assertFalse(check.allows("http://localhost:8002"), "another node's page");
        assertFalse(check.allows("http://localhost"), "port 80 is not the web port");
        assertFalse(check.allows("ftp://localhost:8001"));
        assertFalse(check.allows("http://localhost:8001/path"));
        assertFalse(check.allows("http://user@localhost:8001x"));
        assertFalse(check.allows("https://chat.example.org.evil.example"));
    }
}
