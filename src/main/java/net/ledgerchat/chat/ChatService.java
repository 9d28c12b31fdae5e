package net.ledgerchat.chat;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.BlockVerifier;
import net.ledgerchat.ledger.Cursor;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.StoredBlock;
import net.ledgerchat.store.StoredMessage;

/** What the page, the API and (later) the peers call: send, accept, page, status. */
@ApplicationScoped
public class ChatService {
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 500;
    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());

    @Inject
    private Settings settings;
    @Inject
    private NodeIdentity identity;
    /*
     * The node's EJBs are injected with @EJB, not @Inject: through Weld's proxy every call into a no-interface EJB made
     * Payara throw and catch an IllegalArgumentException, a full stack trace, once per send (JFR exception events).
     */
    @EJB
    private LedgerWriter writer;
    @Inject
    private LedgerRepository repository;
    @EJB
    private LedgerValidation validation;
    private final SendKeys sendKeys = new SendKeys();

    /** The keys of the sends among the newest messages, so a repeat that reaches a restarted node stores nothing. */
    @PostConstruct
    void recallSendKeys() {
        List<LedgerRepository.KeyedSend> newestFirst;
        try {
            newestFirst = repository.recentKeyedSends(SendKeys.RECALL_SCAN, SendKeys.CAPACITY);
        } catch (RuntimeException e) {
            // Sends work without them: only a repeat of a send from before the start would be stored twice.
            LOG.log(Level.WARNING, "[DB] Could not read the idempotency keys of recent sends; repeats of sends made"
                    + " before this start will be stored again: " + e.getMessage(), e);
            return;
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            LedgerRepository.KeyedSend sent = newestFirst.get(i);
            sendKeys.recall(sent.key(), toMessage(sent.message()));
        }
        if (!newestFirst.isEmpty()) {
            LOG.info(() -> "[Web] Recalled the idempotency keys of " + newestFirst.size() + " recent send(s)");
        }
    }

    /**
     * A send the client may repeat with the same {@code key} (null: none) when it never heard the answer:
     * the repeat returns the message the first one stored instead of storing the text twice.
     */
    public ChatMessage send(String text, String key) throws RequestRefusedException {
        if (key == null) {
            return send(text);
        }
        return sendKeys.sendOnce(key, Objects.toString(text, ""), () -> store(text, key));
    }

    public ChatMessage send(String text) throws RequestRefusedException {
        return store(text, null);
    }

    private ChatMessage store(String text, String key) throws RequestRefusedException {
        if (text == null) {
            throw new RequestRefusedException("text is required");
        }
        if (!BlockVerifier.hasVisibleCharacter(text)) {
            throw new RequestRefusedException("message is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int max = settings.limits().maxMessageBytes();
        if (bytes > max) {
            throw new RequestRefusedException("message is " + bytes + " bytes; the limit is " + max + " bytes of UTF-8");
        }
        try {
            return toMessage(writer.send(text, key));
        } catch (BlockRejectedException e) {
            LOG.info(() -> "[Web] Refused a message: " + e.getMessage());
            throw new RequestRefusedException(e.reason() == net.ledgerchat.ledger.RejectReason.NOT_ALLOWED
                    ? "this node may not write in its group: " + e.why() : e.getMessage());
        }
    }

    /** Offers a block from elsewhere (a peer, an import); refused blocks are logged with their reason. */
    public AcceptOutcome accept(Block block) throws BlockRejectedException {
        try {
            return writer.accept(block);
        } catch (BlockRejectedException e) {
            LOG.warning(() -> "[Blockchain] Rejected block " + block.hash() + ": " + e.getMessage());
            throw e;
        }
    }

    public MessagePage page(Optional<String> before, int limit) throws RequestRefusedException {
        checkLimit(limit);
        Optional<OrderKey> from = decode(before);
        List<StoredMessage> newestFirst = repository.messagesBefore(from, limit + 1);
        boolean older = newestFirst.size() > limit;
        List<ChatMessage> page = new ArrayList<>(Math.min(limit, newestFirst.size()));
        for (StoredMessage m : newestFirst.subList(0, Math.min(limit, newestFirst.size()))) {
            page.add(toMessage(m));
        }
        Collections.reverse(page);
        return new MessagePage(page, older ? page.get(0).cursor() : null);
    }

    public BlockPage blocks(Optional<String> after, int limit) throws RequestRefusedException {
        checkLimit(limit);
        Optional<OrderKey> from = decode(after);
        List<StoredBlock> blocks = repository.blocksAfter(from, limit);
        String next = blocks.isEmpty() ? after.orElse(null) : Cursor.encode(blocks.get(blocks.size() - 1).key());
        return new BlockPage(blocks, next);
    }

    public LedgerStatus status() {
        return new LedgerStatus(writer.blockCount(), sortedHeads(), validation.lastReport(), validation.lastRepair());
    }

    public LedgerStatus validateNow(boolean verifySignatures) {
        ValidationReport report = validation.validateNow(verifySignatures);
        return new LedgerStatus(writer.blockCount(), sortedHeads(), Optional.of(report), validation.lastRepair());
    }

    public NodeInfo node() {
        return new NodeInfo(settings.clientName(), identity.publicKey(), writer.groupId(), settings.webPort(),
                settings.tcpPort(), writer.isMember(identity.publicKey()), writer.joining().isPresent(), writer.joinable(),
                writer.joinRefusal().orElse(null));
    }

    /** A stored message as the page shows it; empty for a block that is not a message, or does not count. */
    public Optional<ChatMessage> shownMessage(StoredBlock stored) {
        Block b = stored.block();
        if (stored.shown() == null || !stored.shown().counts()) {
            return Optional.empty();
        }
        return Optional.of(new ChatMessage(b.hash(), stored.shown().name(), b.author(), b.timestamp(),
                b.body(Body.Message.class).text(), b.author().equals(identity.publicKey()), Cursor.encode(stored.key())));
    }

    private ChatMessage toMessage(StoredBlock stored) {
        return shownMessage(stored).orElseThrow(() -> new IllegalStateException("block " + stored.block().hash()
                + " was stored but does not count"));
    }

    private ChatMessage toMessage(StoredMessage m) {
        return new ChatMessage(m.id(), m.sender(), m.author(), m.timestamp(), m.text(),
                m.author().equals(identity.publicKey()), Cursor.encode(m.key()));
    }

    private List<String> sortedHeads() {
        return writer.heads().stream().map(OrderKey::hash).sorted().toList();
    }

    private static void checkLimit(int limit) throws RequestRefusedException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new RequestRefusedException("limit must be from 1 to " + MAX_PAGE);
        }
    }

    private static Optional<OrderKey> decode(Optional<String> cursor) throws RequestRefusedException {
        try {
            return cursor.map(Cursor::decode);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException("invalid cursor");
        }
    }

    /**
     * Who this node is, for {@code GET /api/node}. {@code member}: its key counts as a member by what it holds (false
     * while joining, and once it was removed or left); {@code joining}: it waits for a member to admit it;
     * {@code joinable}: it holds nothing but the genesis it founded, so it may still join another group;
     * {@code joinRefusal}: why a member last refused its invite, or null.
     */
    public record NodeInfo(String name, String key, String groupId, int webPort, int tcpPort, boolean member,
                           boolean joining, boolean joinable, String joinRefusal) {
    }
}
