package net.ledgerchat.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Frames and lines as a hostile peer might send them: every refusal carries the reason the ERROR frame names. */
class FrameTest {
    private static final Set<String> KNOWN = Set.of("HELLO", "NEW_BLOCK", "SYNC_REQUEST", "SYNC_RESPONSE", "ERROR");

    private static FrameException.Reason refused(String line) {
        return assertThrows(FrameException.class,
                () -> Frame.decode(line.getBytes(StandardCharsets.UTF_8), KNOWN)).reason();
    }

    @Test
    void roundTrips() throws Exception {
        Frame frame = new Frame("NEW_BLOCK", Json.createObjectBuilder().add("text", "héllo 😀 \n inside").build());
        byte[] wire = frame.encode();
        assertEquals('\n', wire[wire.length - 1]);
        assertEquals(1, new String(wire, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count(),
                "a newline inside a string is escaped, so one frame is one line");
        LineReader reader = new LineReader(new ByteArrayInputStream(wire), 1024);
        assertEquals(frame, Frame.decode(reader.readLine(), KNOWN));
        assertNull(reader.readLine());
    }

    @Test
    void refusesWhatIsNotAFrame() {
        assertEquals(FrameException.Reason.MALFORMED, refused("garbage without a colon"));
        assertEquals(FrameException.Reason.MALFORMED, refused(""));
        assertEquals(FrameException.Reason.MALFORMED, refused("hello:{}"));
        assertEquals(FrameException.Reason.MALFORMED, refused(" HELLO:{}"));
        assertEquals(FrameException.Reason.UNKNOWN_TYPE, refused("DELETE_ALL:{}"));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:"));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:[1,2]"));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:\"text\""));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:{\"a\":1"));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:{\"a\":1}{\"b\":2}"));
        assertEquals(FrameException.Reason.MALFORMED, refused("HELLO:{\"a\":1} trailing"));
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] line = {'H', 'E', 'L', 'L', 'O', ':', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertEquals(FrameException.Reason.INVALID_UTF8,
                assertThrows(FrameException.class, () -> Frame.decode(line, KNOWN)).reason());
        byte[] overlong = {'H', 'E', 'L', 'L', 'O', ':', '{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        assertEquals(FrameException.Reason.INVALID_UTF8,
                assertThrows(FrameException.class, () -> Frame.decode(overlong, KNOWN)).reason());
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithoutBufferingIt() {
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                served++;
                if (served > 2_000_000) {
                    throw new AssertionError("the reader kept reading past its limit");
                }
                return 'x';
            }
        };
        LineReader reader = new LineReader(endless, 1024 * 1024);
        assertEquals(FrameException.Reason.OVERSIZE, assertThrows(FrameException.class, reader::readLine).reason());
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndOneMoreByteDoesNot() throws Exception {
        byte[] ok = ("X".repeat(16) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(16, new LineReader(new ByteArrayInputStream(ok), 16).readLine().length);
        byte[] over = ("X".repeat(17) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(FrameException.Reason.OVERSIZE, assertThrows(FrameException.class,
                () -> new LineReader(new ByteArrayInputStream(over), 16).readLine()).reason());
    }

    @Test
    void theStreamEndingMidFrameIsTruncationAndCarriageReturnsAreDropped() throws IOException, FrameException {
        LineReader reader = new LineReader(new BufferedInputStream(new ByteArrayInputStream(
                "HELLO:{}\r\nNEW_BLOCK:{\"a\"".getBytes(StandardCharsets.US_ASCII))), 100);
        assertArrayEquals("HELLO:{}".getBytes(StandardCharsets.US_ASCII), reader.readLine());
        assertEquals(FrameException.Reason.TRUNCATED, assertThrows(FrameException.class, reader::readLine).reason());
    }

    @Test
    void aFrameTypeMustBeWellFormedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Frame("hello", Json.createObjectBuilder().build()));
        assertThrows(IllegalArgumentException.class, () -> new Frame("A".repeat(33), Json.createObjectBuilder().build()));
    }
}
