package net.ledgerchat.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import net.ledgerchat.config.SettingsException;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.BlockFactory;
import net.ledgerchat.membership.InviteCode;

/**
 * Which group a node belongs to when it starts (DESIGN section 7: a group is its genesis). A ledger that holds a
 * genesis names it; a node still joining keeps its invite in the data directory until the genesis arrives, so a
 * restart does not found a group by mistake; otherwise {@code INVITE} joins, and without one the node founds a group.
 */
public record GroupStart(String groupId, Optional<Block> founding, Optional<InviteCode> joining) {
    private static final Logger LOG = Logger.getLogger(GroupStart.class.getName());

    /**
     * @param stored the genesis this node's ledger holds
     * @param invite the {@code INVITE} setting
     * @param joiningFile where a joining node keeps its invite
     */
    public static GroupStart decide(Optional<Block> stored, Optional<InviteCode> invite, Path joiningFile,
                                    BlockFactory factory, String groupName, String founderName, Clock clock) {
        if (stored.isPresent()) {
            String group = stored.get().hash();
            invite.filter(code -> !code.groupId().equals(group)).ifPresent(code -> {
                throw new SettingsException("INVITE is for group " + code.groupId() + ", but this node already belongs"
                        + " to group " + group + ". To join another group, start with a new DATA_DIR");
            });
            deleteJoining(joiningFile);
            return new GroupStart(group, Optional.empty(), Optional.empty());
        }
        Optional<InviteCode> kept = readJoining(joiningFile);
        if (kept.isPresent() && invite.isPresent() && !kept.get().groupId().equals(invite.get().groupId())) {
            LOG.warning(() -> "[Members] INVITE names another group than the invite this node was joining with: using INVITE");
        }
        Optional<InviteCode> joining = invite.or(() -> kept);
        if (joining.isPresent()) {
            writeJoining(joiningFile, joining.get());
            return new GroupStart(joining.get().groupId(), Optional.empty(), joining);
        }
        Block genesis = factory.found(groupName, founderName, Instant.ofEpochMilli(clock.millis()));
        return new GroupStart(genesis.hash(), Optional.of(genesis), Optional.empty());
    }

    private static Optional<InviteCode> readJoining(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InviteCode.parse(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | InviteCode.InvalidInviteCode e) {
            throw new SettingsException("Cannot read the invite this node was joining with from " + file + ": "
                    + e.getMessage() + ". Delete the file and set INVITE again");
        }
    }

    /** A node that holds nothing but its own genesis joins another group instead: from now on it joins with {@code code}. */
    public static GroupStart joiningInstead(Path joiningFile, InviteCode code) {
        writeJoining(joiningFile, code);
        return new GroupStart(code.groupId(), Optional.empty(), Optional.of(code));
    }

    /** Readable by the owner only: the invite holds the secret that admits this node. */
    private static void writeJoining(Path file, InviteCode code) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(temporary);
            }
            Files.writeString(temporary, code.text(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SettingsException("Cannot keep the invite in " + file + ": " + e.getMessage());
        }
    }

    /** Once the genesis is stored, the invite has done its work: its secret leaves the disk. */
    public static void deleteJoining(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                LOG.info(() -> "[Members] Joined: the invite this node joined with is deleted");
            }
        } catch (IOException e) {
            LOG.warning(() -> "[Members] Could not delete the used invite " + file + ": " + e.getMessage());
        }
    }
}
