package net.ledgerchat.peer;

import java.nio.file.Path;

/** The peers file cannot be used; the message names the file and what is wrong with it. */
public final class PeersFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public PeersFileException(Path file, String problem) {
        super("peers file " + file + " " + problem);
    }
}
