package net.ledgerchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {
    @Test
    void readsTheUsualDotEnvForms() {
        Map<String, String> values = DotEnv.parse(List.of("# comment", "", "CLIENT_NAME=Alice", "export WEB_PORT = 9001",
                "USER_TIMEZONE=\"Asia/Kolkata\"", "GROUP_ID='team'", "SYNC_INTERVAL=10 # seconds", "DB_PASSWORD=a#b"), ".env");
        assertEquals(Map.of("CLIENT_NAME", "Alice", "WEB_PORT", "9001", "USER_TIMEZONE", "Asia/Kolkata", "GROUP_ID", "team",
                "SYNC_INTERVAL", "10", "DB_PASSWORD", "a#b"), values);
    }

    @Test
    void aLineThatIsNotKeyValueNamesFileAndLine() {
        SettingsException e = assertThrows(SettingsException.class, () -> DotEnv.parse(List.of("A=1", "garbage"), "my.env"));
        assertEquals("my.env line 2 is not KEY=VALUE", e.getMessage());
    }

    @Test
    void envFileMustExistWhenNamed(@TempDir Path dir) throws IOException {
        assertThrows(SettingsException.class, () -> DotEnv.load(Map.of("ENV_FILE", dir.resolve("missing.env").toString())));
        Path file = Files.writeString(dir.resolve("node.env"), "CLIENT_NAME=Bob\n");
        assertEquals(Map.of("CLIENT_NAME", "Bob"), DotEnv.load(Map.of("ENV_FILE", file.toString())));
        assertTrue(DotEnv.load(Map.of("ENV_FILE", "")).isEmpty() || Files.exists(Path.of(".env")));
    }
}
