package net.ledgerchat.it.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A data directory as a format-1 node left it: its H2 file {@code chat.mv.db} in that version's DDL (the test
 * resource h2-schema-hex.sql, the last format-1 layout this project shipped before its binary one), holding a
 * block and its message. Whatever the current version does with it, the file's bytes must stay the same.
 */
final class FormatOneDataDir {
    private FormatOneDataDir() {
    }

    /** Writes the format-1 ledger into {@code dataDir}; answers the SHA-256 of the file, to compare later. */
    static String write(Path dataDir) throws SQLException, IOException {
        Files.createDirectories(dataDir);
        String url = "jdbc:h2:file:" + dataDir.resolve("chat");
        try (Connection c = DriverManager.getConnection(url, "chat", "chat"); Statement s = c.createStatement()) {
            for (String ddl : schema()) {
                s.execute(ddl);
            }
            String hash = "11".repeat(32);
            s.execute("INSERT INTO ledger (hash, author, height, message, order_ts, parents, seal, sender, signature,"
                    + " sort_key, ts) VALUES ('" + hash + "', '" + "22".repeat(32) + "', 0, 'from before members',"
                    + " 1700000000000, '', '" + "33".repeat(32) + "', 'Old Ann', '" + "44".repeat(64) + "', '"
                    + "55".repeat(48) + "', 1700000000000)");
            s.execute("INSERT INTO messages (sort_key, author, hash, sender, text, ts) VALUES ('" + "55".repeat(48)
                    + "', '" + "22".repeat(32) + "', '" + hash + "', 'Old Ann', 'from before members', 1700000000000)");
            s.execute("SHUTDOWN");
        }
        return sha256(dataDir.resolve("chat.mv.db"));
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] schema() throws IOException {
        try (InputStream in = FormatOneDataDir.class.getResourceAsStream("/net/ledgerchat/store/h2-schema-hex.sql")) {
            if (in == null) {
                throw new IOException("h2-schema-hex.sql is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("--")).map(l -> l.endsWith(";") ? l.substring(0, l.length() - 1) : l)
                    .toArray(String[]::new);
        }
    }
}
