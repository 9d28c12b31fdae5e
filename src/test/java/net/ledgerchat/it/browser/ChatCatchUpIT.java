package net.ledgerchat.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.ledgerchat.it.Blocks;
import net.ledgerchat.it.browser.ChatView.Msg;
import net.ledgerchat.it.process.Group;
import net.ledgerchat.it.process.NodeProcess;
import net.ledgerchat.it.support.HttpJson;
import net.ledgerchat.ledger.Block;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Ledger order on screen when blocks arrive late, and a page that missed a lot: one real node (the
 * uber-jar), one real headless Chromium. A "late" block is what a peer back from offline brings: a
 * block signed elsewhere whose parent and timestamp put it among messages the page already shows. It
 * is offered through {@code POST /api/ledger/blocks}, the same door a peer's block goes through.
 *
 * <p>To make the page, and not a live push, fetch what it missed, the node is stopped and the
 * messages are stored while it runs on another web port the page does not know; then the node is
 * started again where the page expects it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatCatchUpIT {
    private static final Duration SHOW = Duration.ofSeconds(10);

    private Path dir;
    private Map<String, String> env;
    private NodeProcess node;
    private Blocks peer;
    private Browser browser;
    private ChatView page;

    @BeforeAll
    void startNodeAndPage() throws Exception {
        dir = NodeProcess.freshTestDir("chat-catch-up");
        env = new LinkedHashMap<>(Group.settings(dir, "cleo", NodeProcess.freePort(), NodeProcess.freePort()));
        node = new NodeProcess("cleo", dir.resolve("cleo-work"), dir, env).start();
        browser = Browser.open("cleo", Browser.DESKTOP, "UTC");
        node.awaitReady();
        // A member from the start: its late blocks may follow any message posted after this.
        peer = new Blocks(node.http());
        page = new ChatView(browser, node.baseUrl() + "/");
    }

    @AfterAll
    void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {browser, node}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("[ChatCatchUpIT] closing " + closeable + ": " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aLateBlockShowsWhereItsOrderKeyPutsItNotAtTheEnd() throws Exception {
        post(node.http(), "early", 30);
        page.load();
        awaitPageShowsNode("the first 30 messages");

        Block late = lateBlockAmong(node.http(), NodeMessages.all(node.http()), 14, "a late block from a peer back online");
        assertEquals(201, peer.offer(late).status(), "the node takes the late block");
        List<String> stored = NodeMessages.ids(node.http());
        assertTrue(stored.indexOf(late.hash()) < stored.size() - 10, "the node orders the late block among the early ones");

        page.await(SHOW, late.body(net.ledgerchat.ledger.Body.Message.class).text(), "late, from another author", Msg::theirs);
        awaitPageShowsNode("the late block in its place");
        browser.await(SHOW, "the live region names the peer's message", d -> String.valueOf(
                browser.js("return document.getElementById('announcer').textContent;")).contains(late.body(net.ledgerchat.ledger.Body.Message.class).text()));
        assertEquals("polite", page.attribute("#announcer", "aria-live"));
        assertFalse(page.shown("#new-messages"), "a block that lands above the view is not announced as new below it");
        String newest = stored.get(stored.size() - 1);
        assertTrue(inView(newest), "the reader at the bottom stays at the bottom");
        browser.screenshot("ChatCatchUpIT.1-late-block", "desktop");
        browser.assertNoJsErrors();
    }

    @Test
    @Order(2)
    void aLateBlockOlderThanWhatIsLoadedWaitsForTheOlderPagesAndLandsInItsPlace() throws Exception {
        post(node.http(), "more", 120);
        page.load();
        awaitPageShowsNewest(50);
        List<JsonObject> all = NodeMessages.all(node.http());
        Block late = lateBlockAmong(node.http(), all, 5, "a late block older than the loaded pages");
        assertEquals(201, peer.offer(late).status());
        String marker = "stored after the old late block";
        assertEquals(201, node.http().sendMessage(marker).status());
        page.await(SHOW, marker, "after the late block", Msg::settled);
        browser.settle();
        assertTrue(page.withText(late.body(net.ledgerchat.ledger.Body.Message.class).text()).isEmpty(), "a block older than the loaded range is not shown out of place");

        scrollToTheStart();
        awaitPageShowsNode("every message after scrolling to the first, the old late block among them");
        browser.assertNoJsErrors();
    }

    @Test
    @Order(3)
    void aPageThatMissedMoreThanAPageCatchesUpWithoutGapsOrDuplicates() throws Exception {
        page.scrollToBottom();
        List<JsonObject> before = NodeMessages.all(node.http());
        node.terminate();
        browser.await(SHOW, "#link-state reconnecting or offline",
                d -> Set.of("reconnecting", "offline").contains(page.linkState()));
        assertEquals("", page.attribute("#peer-count", "data-count"), "no peer count is claimed while the node is gone");
        String queued = "typed while my node was down";
        page.send(queued);
        page.await(SHOW, queued, "queued while offline", Msg::pending);

        Map<String, String> aside = new LinkedHashMap<>(env);
        aside.put("WEB_PORT", Integer.toString(NodeProcess.freePort()));
        try (NodeProcess elsewhere = new NodeProcess("cleo-aside", dir.resolve("cleo-work"), dir, aside)) {
            elsewhere.startAndAwaitReady();
            post(elsewhere.http(), "missed", 250);
            Block late = lateBlockAmong(elsewhere.http(), before, before.size() / 2, "a late block the page missed");
            assertEquals(201, peer.on(elsewhere.http()).offer(late).status());
            elsewhere.terminate();
        }
        assertTrue(Set.of("reconnecting", "offline").contains(page.linkState()), "the page could not reach the node meanwhile");

        node.startAndAwaitReady();
        browser.await(Duration.ofSeconds(60), "#link-state connected again", d -> "connected".equals(page.linkState()));
        Msg delivered = page.await(Duration.ofSeconds(30), queued, "delivered after the reconnect", Msg::settled);
        awaitPageShowsNode("all 250 missed messages, the late block and the queued one");
        assertEquals(1, page.withText(queued).size(), "the queued message shows once");
        assertEquals(1, NodeMessages.all(node.http()).stream().filter(m -> m.getString("id").equals(delivered.id())).count());
        assertTrue(page.shown("#history-start"), "the page still reaches the first message");
        browser.screenshot("ChatCatchUpIT.3-caught-up", "desktop");
        browser.assertNoJsErrors();
    }

    /**
     * The connection drops with a send in flight: once before the frame left the page, once right after it
     * (the node stores it, its answer is lost). Either way the page sends again with the send's key once it
     * is back, and the message is stored once and shown once, never marked failed.
     */
    @Test
    @Order(4)
    void aSendWhoseAnswerTheConnectionLostIsStoredOnceAndShownOnce() {
        page.scrollToBottom();
        // Wraps the page's WebSocket: the next send frame is dropped with the connection, or sent and then dropped.
        browser.js("""
                if (!window.__dropNextSend) {
                  var send = WebSocket.prototype.send;
                  WebSocket.prototype.send = function (data) {
                    var mode = window.__dropNextSend;
                    if ((mode === 'before' || mode === 'after') && data.indexOf('"type":"send"') >= 0) {
                      window.__dropNextSend = 'done';
                      if (mode === 'after') { send.call(this, data); }
                      this.close();
                      return;
                    }
                    return send.call(this, data);
                  };
                }""");
        for (String mode : List.of("before", "after")) {
            String text = "in flight when the line dropped (" + mode + ")";
            browser.js("window.__dropNextSend = arguments[0];", mode);
            page.send(text);
            Msg delivered = page.await(Duration.ofSeconds(30), text, "delivered after the reconnect (" + mode + ")",
                    m -> m.mine() && m.settled());
            assertEquals("done", browser.js("return window.__dropNextSend;"), "the drop happened (" + mode + ")");
            browser.await(SHOW, "#link-state connected again", d -> "connected".equals(page.linkState()));
            // The push of the stored message may come before the answer to the repeated send: until that answer,
            // the page keeps its copy marked "checking whether it was stored", by design.
            browser.await(SHOW, "the repeated send answered (" + mode + ")",
                    d -> page.withText(text).stream().allMatch(Msg::settled));
            assertEquals(1, page.withText(text).size(), "shown once (" + mode + ")");
            List<JsonObject> stored = NodeMessages.all(node.http()).stream()
                    .filter(m -> m.getString("text").equals(text)).toList();
            assertEquals(1, stored.size(), "stored once (" + mode + ")");
            assertEquals(stored.get(0).getString("id"), delivered.id());
        }
        browser.assertNoJsErrors();
    }

    // ---- helpers

    /**
     * A block signed by another key whose parent is the {@code index}-th message and whose timestamp
     * is 1 ms after it, so the ledger orders it right there (the messages around it are at least 2 ms
     * apart, see {@link #post}).
     */
    private Block lateBlockAmong(HttpJson http, List<JsonObject> messages, int index, String text) {
        JsonObject parent = messages.get(index);
        Instant at = Instant.parse(parent.getString("timestamp")).plusMillis(1);
        return peer.on(http).withTimestamp(List.of(parent.getString("id")), at, text);
    }

    /** {@code count} messages one after another, at least 2 ms apart. */
    private static void post(HttpJson http, String prefix, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertEquals(201, http.sendMessage(String.format("%s message %03d", prefix, i)).status());
            Thread.sleep(2);
        }
    }

    private List<String> shownIds() {
        return page.messages().stream().filter(Msg::settled).map(Msg::id).toList();
    }

    /** The page lists exactly what the node lists, in the node's order, each once. */
    private void awaitPageShowsNode(String what) {
        List<String> expected = NodeMessages.ids(node.http());
        try {
            browser.await(SHOW, what, d -> shownIds().equals(expected));
        } catch (AssertionError | RuntimeException e) {
            NodeMessages.assertSameIds(expected, shownIds(), what);
            throw e;
        }
    }

    private void awaitPageShowsNewest(int count) {
        List<String> all = NodeMessages.ids(node.http());
        List<String> newest = all.subList(all.size() - count, all.size());
        browser.await(SHOW, "the newest " + count + " messages", d -> shownIds().equals(newest));
    }

    private void scrollToTheStart() {
        int rounds = 0;
        while (!page.shown("#history-start")) {
            assertTrue(++rounds <= 40, "#history-start never appeared after " + (rounds - 1) + " scrolls to the top");
            int count = page.messages().size();
            browser.js("document.getElementById('messages').scrollTop = 0;");
            browser.await(SHOW, "an older page after scrolling to the top",
                    d -> page.messages().size() > count || page.shown("#history-start"));
        }
    }

    private boolean inView(String id) {
        return Boolean.TRUE.equals(browser.js("""
                var li = document.querySelector('#messages li[data-id="' + arguments[0] + '"]');
                var box = document.getElementById('messages').getBoundingClientRect();
                if (!li) { return false; }
                var r = li.getBoundingClientRect();
                return r.bottom > box.top && r.top < box.bottom;""", id));
    }
}
