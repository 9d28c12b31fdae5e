package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersFileTest {
    private static final Path FILE = Path.of("peers.json");
    private static final String KEY = "ab".repeat(32);

    private static String refused(String json) {
        return assertThrows(PeersFileException.class, () -> PeersFile.parse(FILE, json)).getMessage();
    }

    @Test
    void readsTheOriginalFormatAndOptionalPins() throws Exception {
        assertEquals(List.of(new PeerAddress("127.0.0.1", 5002, Optional.empty()),
                        new PeerAddress("node-b.lan", 5003, Optional.of(KEY))),
                PeersFile.parse(FILE, "{\"peers\":[{\"ip\":\"127.0.0.1\",\"port\":5002},"
                        + "{\"ip\":\"node-b.lan\",\"port\":5003,\"key\":\"" + KEY + "\"}]}"));
        assertEquals(List.of(), PeersFile.parse(FILE, "{\"peers\":[]}"));
    }

    @Test
    void theRepositorysExampleFileParses(@TempDir Path dir) throws Exception {
        assertEquals(1, PeersFile.read(Path.of("peers.json")).size());
        assertEquals(List.of(), PeersFile.read(dir.resolve("absent.json")), "no file: a node may start alone");
    }

    @Test
    void everyMistakeIsNamed(@TempDir Path dir) throws Exception {
        assertTrue(refused("not json").contains("not valid JSON"));
        assertTrue(refused("[]").contains("\"peers\" list"));
        assertTrue(refused("{\"peers\":{}}").contains("\"peers\" list"));
        assertTrue(refused("{\"peers\":[1]}").contains("peer 1 is not an object"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"prot\":1}]}").contains("unknown field 'prot'"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\"}]}").contains("\"port\""));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"port\":\"5002\"}]}").contains("\"port\""));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"port\":70000}]}").contains("65535"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"port\":99999999999}]}").contains("peer 1"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"\",\"port\":1}]}").contains("host"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"port\":1,\"key\":\"short\"}]}").contains("hex"));
        assertTrue(refused("{\"peers\":[{\"ip\":\"a\",\"port\":1},{\"ip\":\"a\",\"port\":1}]}").contains("twice"));
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[(int) PeersFile.MAX_BYTES + 1]);
        assertTrue(assertThrows(PeersFileException.class, () -> PeersFile.read(big)).getMessage().contains("larger"));
        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertTrue(assertThrows(PeersFileException.class, () -> PeersFile.read(binary)).getMessage().contains("UTF-8"));
    }
}
