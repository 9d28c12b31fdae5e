package net.ledgerchat.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import net.ledgerchat.ledger.NodeIdentity;

/**
 * The node key on disk: {@code public <hex>} and {@code private <base64 PKCS#8>} lines, owner-only
 * permissions. Written to a temporary file and moved into place, so a crash while creating it
 * leaves either no key or a whole one.
 */
public final class NodeKeyFile {
    private NodeKeyFile() {
    }

    /** Loads the key, creating it on first start. Returns whether it was created. */
    public static Loaded loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(read(file), false);
        }
        NodeIdentity identity = NodeIdentity.generate();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "node.key", ".tmp");
        try {
            restrict(temp);
            Files.writeString(temp, "public " + identity.publicKey() + "\nprivate "
                    + Base64.getEncoder().encodeToString(identity.privateKeyPkcs8()) + "\n", StandardCharsets.US_ASCII);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return new Loaded(identity, true);
    }

    private static NodeIdentity read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.size() < 2 || !lines.get(0).startsWith("public ") || !lines.get(1).startsWith("private ")) {
            throw new IOException("node key file " + file + " is damaged: expected 'public' and 'private' lines");
        }
        try {
            byte[] pkcs8 = Base64.getDecoder().decode(lines.get(1).substring("private ".length()).strip());
            return NodeIdentity.fromPkcs8(pkcs8, lines.get(0).substring("public ".length()).strip());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("node key file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the data directory's own ACL is what protects the key there.
        }
    }

    /** The identity and whether this start created it. */
    public record Loaded(NodeIdentity identity, boolean created) {
    }
}
