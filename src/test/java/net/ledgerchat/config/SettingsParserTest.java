package net.ledgerchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import net.ledgerchat.membership.InviteCode;
import org.junit.jupiter.api.Test;

class SettingsParserTest {
    private static Settings parse(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new SettingsParser(name -> Optional.ofNullable(values.get(name))).parse();
    }

    @Test
    void defaultsNeedNoSettingAtAll() {
        Settings s = parse();
        assertEquals("DefaultUser", s.clientName());
        assertEquals(8001, s.webPort());
        assertEquals(5001, s.tcpPort());
        assertEquals(Path.of("data").toAbsolutePath(), s.dataDir());
        assertEquals(Path.of("peers.json").toAbsolutePath(), s.peersFile());
        assertEquals(Duration.ofSeconds(30), s.syncInterval());
        assertEquals(50, s.syncBatchSize());
        assertEquals(5, s.maxRetries());
        assertEquals(Duration.ofSeconds(3), s.retryDelay());
        assertEquals(10, s.maxClients());
        assertEquals(16_384, s.limits().maxMessageBytes());
        assertEquals(Duration.ofMinutes(5), s.limits().maxClockSkew());
        assertTrue(s.userTimezone().isEmpty());
        assertInstanceOf(Database.H2.class, s.database());
        assertTrue(s.database().jdbcUrl().startsWith("jdbc:h2:file:" + s.dataDir().resolve("group")));
        assertEquals("DefaultUser's group", s.groupName());
        assertTrue(s.invite().isEmpty(), "no invite: the node founds a group");
        assertTrue(s.peerHost().isEmpty());
    }

    @Test
    void valuesAreReadAndTyped() {
        Settings s = parse("CLIENT_NAME", " Alice ", "USER_TIMEZONE", "Asia/Kolkata", "WEB_PORT", "9001",
                "TCP_SERVER_PORT", "6001", "SYNC_INTERVAL", "5", "BIND_ADDRESS", "127.0.0.1", "GROUP_NAME", "Team 1",
                "PEER_HOST", "chat.example.org");
        assertEquals("Alice", s.clientName());
        assertEquals(Optional.of(ZoneId.of("Asia/Kolkata")), s.userTimezone());
        assertEquals(9001, s.webPort());
        assertEquals(6001, s.tcpPort());
        assertEquals(Duration.ofSeconds(5), s.syncInterval());
        assertEquals(Optional.of("127.0.0.1"), s.bindAddress());
        assertEquals("Team 1", s.groupName());
        assertEquals(Optional.of("chat.example.org"), s.peerHost());
    }

    @Test
    void anInviteCodeOrLinkIsReadWholeAndItsSecretNeverEchoed() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        InviteCode code = new InviteCode("ab".repeat(32), "cd".repeat(32),
                java.util.List.of(new InviteCode.Contact("127.0.0.1", 5001, "ef".repeat(32))), secret);
        assertEquals(code.invite(), parse("INVITE", code.text()).invite().orElseThrow().invite());
        assertEquals(code.groupId(), parse("INVITE", code.linkFor("http://localhost:8001/")).invite().orElseThrow().groupId());
        String cut = code.text().substring(0, code.text().length() - 3);
        SettingsException e = assertThrows(SettingsException.class, () -> parse("INVITE", cut));
        assertTrue(e.getMessage().startsWith("INVITE is not a usable invite"), e.getMessage());
        assertFalse(e.getMessage().contains(cut), "the code holds a secret: it is not repeated");
    }

    @Test
    void theRetiredGroupIdSettingIsRefusedWithWhatToDoInstead() {
        SettingsException e = assertThrows(SettingsException.class, () -> parse("GROUP_ID", "ledgerchat"));
        assertTrue(e.getMessage().contains("INVITE"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TCP_SERVER_PORT|abc", "TCP_SERVER_PORT|0", "TCP_SERVER_PORT|65536", "WEB_PORT|-1", "SYNC_INTERVAL|0",
        "SYNC_INTERVAL|1.5", "SYNC_BATCH_SIZE|0", "MAX_CLIENTS|0", "MAX_RETRIES|x", "RETRY_DELAY|0",
        "USER_TIMEZONE|Mars/Olympus", "BIND_ADDRESS|example.com", "BIND_ADDRESS|999.1.1.1", "GROUP_ID|has space",
        "PEER_HOST|not a host!", "INVITE|hello",
        "ADAPTER_NAME|no-such-nic0", "MAX_MESSAGE_BYTES|0", "MAX_CLOCK_SKEW|-5", "DB_NAME|chatdb",
        "ALLOWED_ORIGINS|*", "ALLOWED_ORIGINS|https://ok.example.org/path", "ALLOWED_ORIGINS|javascript:alert(1)"})
    void aBadValueIsOneLineNamingTheSetting(String name, String value) {
        SettingsException e = assertThrows(SettingsException.class, () -> parse(name, value));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void allowedOriginsAreACommaSeparatedListOfOrigins() {
        assertEquals(java.util.List.of(), parse().allowedOrigins());
        assertEquals(java.util.List.of("https://chat.example.org", "http://10.0.0.5:8080"),
                parse("ALLOWED_ORIGINS", " https://Chat.Example.org , http://10.0.0.5:8080").allowedOrigins());
    }

    @Test
    void conflictingSettingsAreRefused() {
        assertThrows(SettingsException.class, () -> parse("WEB_PORT", "7000", "TCP_SERVER_PORT", "7000"));
        assertThrows(SettingsException.class, () -> parse("BIND_ADDRESS", "127.0.0.1", "ADAPTER_NAME", "lo"));
        assertThrows(SettingsException.class, () -> parse("CLIENT_NAME", "x".repeat(257)));
        assertThrows(SettingsException.class, () -> parse("GROUP_NAME", "x".repeat(257)));
        assertThrows(SettingsException.class, () -> parse("DB_SERVER", "db.example"));
    }

    @Test
    void sqlServerSettingsSelectSqlServerWithoutLeakingThePassword() {
        Settings s = parse("DB_SERVER", "db.example", "DB_USER", "chat", "DB_PASSWORD", "s3cret", "DB_NAME", "chat");
        Database.SqlServer db = assertInstanceOf(Database.SqlServer.class, s.database());
        assertEquals("jdbc:sqlserver://db.example:1433;databaseName=chat;encrypt=true;trustServerCertificate=false", db.jdbcUrl());
        assertEquals("com.microsoft.sqlserver.jdbc.SQLServerDriver", db.driverClass());
        assertTrue(!db.describe().contains("s3cret"));
    }
}
