package net.ledgerchat.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.ledgerchat.it.browser.ChatView.Msg;
import net.ledgerchat.it.process.Group;
import net.ledgerchat.it.process.RawPeer;
import net.ledgerchat.it.process.NodeProcess;
import net.ledgerchat.it.support.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.UnhandledAlertException;
import org.openqa.selenium.WebElement;

/**
 * The chat page of issue 4 in real headless Chromium against two real linked nodes (uber-jar
 * processes): Ann ({@code USER_TIMEZONE=Asia/Kolkata}) and Bob ({@code USER_TIMEZONE=UTC}, and a
 * display name with markup in it). Both browsers run in a third zone, Asia/Kathmandu (+05:45), so a
 * page that ignored its node's zone shows a different minute and is caught.
 *
 * <p>One class, one pair of nodes and one browser per node for every test (a boot costs 10-30 s
 * here); the tests run in order and each makes the messages it checks, so one failure does not
 * hide the others. Only the reconnect test stops a node. Screenshots of each step, and of both
 * pages at desktop and phone sizes, go to {@code target/screenshots/ChatPageIT.*}; a failed test
 * adds a screenshot and the live DOM of both pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChatPageIT {
    private static final String ANN = "Ann";
    /** Bob's display name is itself hostile: it must show as these characters, in the header and on Ann's page. */
    private static final String BOB = "Bob <b>&amp;</b>";
    private static final String ANN_ZONE = "Asia/Kolkata";
    private static final String BOB_ZONE = "UTC";
    private static final String BROWSER_ZONE = "Asia/Kathmandu";
    /** Issue 4: a message reaches the other page, and its own page, within 2 s. */
    private static final Duration LIVE = Duration.ofSeconds(2);
    private static final Duration SHOW = Duration.ofSeconds(10);
    private static final int SCROLL_MESSAGES = 500;

    private Path dir;
    private NodeProcess ann;
    private NodeProcess bob;
    private Browser annBrowser;
    private Browser bobBrowser;
    private ChatView annPage;
    private ChatView bobPage;

    /** A failed test leaves a screenshot and the DOM of both pages for a person to look at. */
    @RegisterExtension
    final TestWatcher evidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            String test = "ChatPageIT." + context.getRequiredTestMethod().getName();
            for (Browser browser : new Browser[] {annBrowser, bobBrowser}) {
                if (browser == null) {
                    continue;
                }
                try {
                    String alert = browser.openAlert();
                    if (alert != null) {
                        browser.driver().switchTo().alert().dismiss();
                    }
                    System.out.printf("[ChatPageIT] %s failed; evidence: %s, %s%n", test,
                            browser.screenshot(test, browser.name() + "-FAILED"),
                            browser.saveDom(test, browser.name() + "-FAILED"));
                } catch (RuntimeException e) {
                    System.out.printf("[ChatPageIT] %s failed; no evidence from %s: %s%n", test, browser.name(), e);
                }
            }
        }
    };

    @BeforeAll
    void startNodesAndPages() throws Exception {
        long started = System.nanoTime();
        dir = NodeProcess.freshTestDir("chat-page");
        int webA = NodeProcess.freePort();
        int tcpA = NodeProcess.freePort();
        int webB = NodeProcess.freePort();
        int tcpB = NodeProcess.freePort();
        Map<String, String> annEnv = new java.util.LinkedHashMap<>(Group.settings(dir, ANN, webA, tcpA, tcpB));
        annEnv.put("USER_TIMEZONE", ANN_ZONE);
        Map<String, String> bobEnv = new java.util.LinkedHashMap<>(Group.settings(dir, "bob", webB, tcpB, tcpA));
        bobEnv.put("CLIENT_NAME", BOB);
        bobEnv.put("USER_TIMEZONE", BOB_ZONE);
        ann = new NodeProcess("ann", dir.resolve("ann-work"), dir, annEnv);
        bob = new NodeProcess("bob", dir.resolve("bob-work"), dir, bobEnv);
        ann.start();
        // Chromium starts while the nodes boot: Ann founds the group, then Bob joins with her invite.
        annBrowser = Browser.open("ann", Browser.DESKTOP, BROWSER_ZONE);
        bobBrowser = Browser.open("bob", Browser.DESKTOP, BROWSER_ZONE);
        ann.awaitReady();
        bob.joining(Group.invite(ann.http())).startAndAwaitReady();
        annPage = new ChatView(annBrowser, "http://localhost:" + webA + "/");
        bobPage = new ChatView(bobBrowser, "http://localhost:" + webB + "/");
        annPage.load();
        bobPage.load();
        log("two nodes and two pages up in %d ms", millisSince(started));
    }

    @AfterAll
    void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {annBrowser, bobBrowser, ann, bob}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("[ChatPageIT] closing " + closeable + ": " + e);
                }
            }
        }
    }

    /** Each test starts from an empty composer and no open alert, whatever the one before left. */
    @BeforeEach
    void cleanSlate() {
        for (ChatView page : pages()) {
            Browser b = page.browser();
            if (b.openAlert() != null) {
                b.driver().switchTo().alert().dismiss();
            }
            if (!page.composerValue().isEmpty()) {
                page.clearComposer();
            }
        }
    }

    @Test
    @Order(1)
    void eachPageShowsItsNodeLinkedAndInSync() {
        for (ChatView page : pages()) {
            NodeProcess node = node(page);
            JsonObject info = node.http().get("/api/node").json();
            Browser b = page.browser();
            assertEquals(info.getString("key"), page.attribute("body", "data-node-key"), "body data-node-key");
            assertEquals(info.getString("name"), page.attribute("body", "data-node-name"), "body data-node-name");
            assertEquals(zone(page), page.attribute("body", "data-time-zone"), "body data-time-zone");
            assertEquals("16384", page.attribute("body", "data-max-bytes"), "body data-max-bytes");
            assertEquals(name(page), b.find("#node-name").getText(), "#node-name shows the name as text");
            assertTrue(b.all("#node-name *").isEmpty(), "no markup from the name inside #node-name");

            WebElement list = b.find("#messages");
            assertEquals("ol", list.getTagName(), "#messages is an ol");
            assertEquals("log", list.getAttribute("role"), "#messages role");
            assertEquals("textarea", page.composer().getTagName(), "#composer is a textarea");
            assertEquals("Message", page.composer().getAccessibleName(), "the composer's label");
            assertTrue(b.find("button#send").isDisplayed(), "button#send shown");
            assertEquals("alert", b.find("#composer-error").getAttribute("role"), "#composer-error role");
            assertEquals("auto", b.js("return getComputedStyle(document.getElementById('messages')).overflowY;"),
                    "#messages scrolls itself (overflow-y auto)");

            b.await(SHOW, "#link-state connected", d -> "connected".equals(page.linkState()));
            b.await(Duration.ofSeconds(30), "#peer-count data-count=1 (the other node linked)",
                    d -> "1".equals(page.attribute("#peer-count", "data-count")));
            b.await(Duration.ofSeconds(30), "#sync-state in-sync",
                    d -> "in-sync".equals(page.attribute("#sync-state", "data-state")));
        }
        // A message stored through either node's API shows live on both open pages. (This is also the
        // first message through each node: it warms the path that the 2 s test below times.)
        for (ChatView page : pages()) {
            String text = "posted through " + name(page) + "'s API while both pages are open";
            JsonObject sent = node(page).http().sendMessage(text).json();
            for (ChatView each : pages()) {
                Msg shown = each.await(SHOW, text, "posted through the API", Msg::settled);
                assertEquals(sent.getString("id"), shown.id());
                assertEquals(each == page, shown.mine(), each.browser().name() + ": mine only on the sender's own page");
            }
        }
        for (ChatView page : pages()) {
            page.browser().screenshot("ChatPageIT.01-start", page.browser().name() + "-desktop");
            page.browser().assertNoJsErrors();
        }
    }

    @Test
    @Order(2)
    void theMembersPanelListsBothByTheirAdmittedNamesAndTheFounderInvites() {
        annBrowser.find("#members-summary").click();
        annBrowser.await("two members in Ann's panel", d -> annBrowser.all("#members li").size() == 2);
        List<String> rows = annBrowser.texts("#members li");
        assertTrue(rows.get(0).startsWith(ANN + " (you) founder"), rows.toString());
        assertTrue(rows.get(1).startsWith(BOB + " member"), rows.toString());
        annBrowser.await("Bob shown online", d -> {
            List<String> online = annBrowser.texts("#members li .member-online");
            return online.size() == 2 && online.get(1).equals("online");
        });
        assertEquals(1, annBrowser.all("#members .member-remove").size(), "the founder may remove Bob, and only Bob");

        annBrowser.find("#invite").click();
        String code = annBrowser.await("an invite code", d -> {
            String value = annBrowser.find("#invite-code").getAttribute("value");
            return value != null && value.startsWith("ledgerchat-invite:") ? value : null;
        });
        assertTrue(annBrowser.find("#invite-link").getAttribute("value").endsWith("#join=" + code));
        annBrowser.screenshot("ChatPageIT", "members-panel-with-invite");
        assertTrue(ann.http().get("/api/invites").body().contains(RawPeer.parse(code).invite()), "the invite is open");

        bobBrowser.find("#members-summary").click();
        bobBrowser.await("two members in Bob's panel", d -> bobBrowser.all("#members li").size() == 2);
        assertTrue(bobBrowser.find("#invite").getAttribute("hidden") != null, "a member may not invite");
        assertTrue(bobBrowser.all("#members .member-remove").isEmpty(), "a member removes nobody");
        assertTrue(bobBrowser.find("#leave").isDisplayed(), "a member may leave");
        annBrowser.find("#members-summary").click();
        bobBrowser.find("#members-summary").click();
        annBrowser.assertNoJsErrors();
        bobBrowser.assertNoJsErrors();
    }

    @Test
    @Order(3)
    void aMessageTypedInOnePageShowsOnTheOtherWithinTwoSeconds() {
        Msg fromAnn = exchange(annPage, bobPage, "Hello Bob, this is Ann typing in her page");
        Msg fromBob = exchange(bobPage, annPage, "Hi Ann! Bob here, typing in mine");

        for (ChatView page : pages()) {
            List<String> shown = page.messages().stream().map(Msg::id)
                    .filter(id -> id.equals(fromAnn.id()) || id.equals(fromBob.id())).toList();
            assertEquals(List.of(fromAnn.id(), fromBob.id()), shown, page.browser().name() + ": both, in ledger order");
            Map<?, ?> places = textBoxes(page, fromAnn.id(), fromBob.id());
            Map<?, ?> annBox = (Map<?, ?>) places.get(fromAnn.id());
            Map<?, ?> bobBox = (Map<?, ?>) places.get(fromBob.id());
            Map<?, ?> mine = page == annPage ? annBox : bobBox;
            Map<?, ?> theirs = page == annPage ? bobBox : annBox;
            assertOnTheRight(page, mine, theirs, ((Number) places.get("center")).doubleValue());
            page.browser().screenshot("ChatPageIT.02-exchange", page.browser().name() + "-desktop");
            page.browser().assertNoJsErrors();
        }
    }

    @Test
    @Order(4)
    void shiftEnterAddsALineAndEnterSendsBoth() {
        String first = "first line, then Shift+Enter";
        String second = "second line, then Enter";
        String both = first + "\n" + second;
        annPage.type(first);
        annPage.type(Keys.chord(Keys.SHIFT, Keys.ENTER));
        annPage.type(second);
        assertEquals(both, annPage.composerValue(), "Shift+Enter put a line break in the composer");
        assertTrue(annPage.withText(first).isEmpty(), "Shift+Enter sent nothing (no pending message either)");

        long t0 = annPage.pressEnter();
        Msg own = annPage.await(LIVE, both, "of Ann's own, settled", m -> m.mine() && m.settled());
        Msg seen = bobPage.await(remaining(t0, LIVE), both, "from Ann", m -> m.theirs() && m.settled());
        assertEquals(own.id(), seen.id());
        assertEquals("", annPage.composerValue(), "the composer is empty after sending");

        for (ChatView page : pages()) {
            assertTrue(page.withText(first).isEmpty(), page.browser().name() + ": no message of the first line alone");
            String rendered = page.browser().find("li.message[data-id='" + own.id() + "'] .text").getText();
            assertEquals(both, rendered, page.browser().name() + ": the line break shows on screen");
        }
        List<String> texts = NodeMessages.all(ann.http()).stream().map(m -> m.getString("text")).toList();
        assertEquals(both, texts.get(texts.size() - 1), "the node stored the two lines as one message");
        assertFalse(texts.contains(first), "the node never got the first line alone");
        annBrowser.screenshot("ChatPageIT.03-shift-enter", "ann-desktop");
    }

    @Test
    @Order(5)
    void hostileTextShowsAsTextAndNothingRuns() {
        try {
            sendAndCheckHostileTexts();
        } catch (UnhandledAlertException e) {
            // Any WebDriver command fails this way while a page shows an alert.
            fail("a message text ran script: an alert opened saying \"" + e.getAlertText() + "\"", e);
        }
    }

    private void sendAndCheckHostileTexts() {
        List<String> fromAnn = List.of(
                "<img src=x onerror=alert(1)>",
                "<script>alert(1)</script>",
                "<img src=x onerror=\"window.__pwned='img'\">",
                "<svg onload=\"window.__pwned='svg'\"></svg>");
        List<String> fromBob = List.of(
                "\"><img src=x onerror=\"window.__pwned='attribute'\">",
                "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
                "&lt;b&gt; entities stay as typed &amp; <b>so do tags</b>");
        for (String text : fromAnn) {
            annPage.send(text);
            annPage.await(SHOW, text, "of Ann's own, settled", m -> m.mine() && m.settled());
        }
        for (String text : fromBob) {
            bobPage.send(text);
            bobPage.await(SHOW, text, "of Bob's own, settled", m -> m.mine() && m.settled());
        }
        for (ChatView page : pages()) {
            Browser b = page.browser();
            for (String text : fromAnn) {
                page.await(SHOW, text, "(exactly as typed)", Msg::settled);
                assertEquals(1, page.withText(text).size(), b.name() + ": shown once: " + text);
            }
            for (String text : fromBob) {
                Msg m = page.await(SHOW, text, "(exactly as typed)", Msg::settled);
                assertEquals(1, page.withText(text).size(), b.name() + ": shown once: " + text);
                if (page == annPage) {
                    assertEquals(BOB, m.sender() == null ? null : m.sender().trim(),
                            "Bob's hostile name shows as text on Ann's page");
                }
            }
            // Control: an image that really fails to load. When its onerror has run, a broken <img> the page
            // had built from a message text would have fired too (same server, same 404).
            b.js("var i = new Image(); i.onerror = function () { window.__control = true; }; i.src = 'x?control';");
            b.awaitJs(SHOW, "the control image's onerror", "return window.__control === true;");
            b.settle();
            assertThrows(NoAlertPresentException.class, () -> b.driver().switchTo().alert(),
                    b.name() + ": an alert is open");
            assertNull(b.js("return window.__pwned === undefined ? null : String(window.__pwned);"),
                    b.name() + ": a payload set window.__pwned");
            assertEquals(0L, b.js("return document.querySelectorAll("
                    + "'#messages img, #messages script, #messages svg, #messages iframe, #messages b, #node-name b').length;"),
                    b.name() + ": elements built from message text or Bob's name");
            b.screenshot("ChatPageIT.04-hostile", b.name() + "-desktop");
            b.assertNoJsErrors();
        }
        assertEquals(BOB, bobBrowser.find("#node-name").getText(), "Bob's header shows his name as typed");
    }

    @Test
    @Order(6)
    void eachNodeShowsTimesInItsOwnZone() {
        String text = "What time is it where you are?";
        JsonObject sent = ann.http().sendMessage(text).json();
        Instant at = Instant.parse(sent.getString("timestamp"));
        Msg onAnn = annPage.await(SHOW, text, "settled", Msg::settled);
        Msg onBob = bobPage.await(SHOW, text, "settled", Msg::settled);
        assertEquals(sent.getString("id"), onAnn.id(), "Ann's page: data-id is the block hash");
        assertEquals(sent.getString("id"), onBob.id(), "Bob's page: data-id is the block hash");

        for (ChatView page : pages()) {
            Object browserZone = page.browser().js("return Intl.DateTimeFormat().resolvedOptions().timeZone;");
            assertTrue(List.of("Asia/Kathmandu", "Asia/Katmandu").contains(browserZone),
                    "the browser runs in a zone of its own: " + browserZone);
            Msg m = page == annPage ? onAnn : onBob;
            OffsetDateTime datetime = OffsetDateTime.parse(m.datetime());
            assertEquals(ZoneOffset.UTC, datetime.getOffset(), "time@datetime is UTC: " + m.datetime());
            assertEquals(at.truncatedTo(ChronoUnit.SECONDS), datetime.toInstant().truncatedTo(ChronoUnit.SECONDS),
                    "time@datetime is the message's timestamp");
            assertShownIn(page.browser().name() + "'s page", zone(page), at, m);
        }
        assertNotEquals(onAnn.timeText(), onBob.timeText(), "the same message shows different times in Kolkata and UTC");
        assertNotEquals(onAnn.timeTitle(), onBob.timeTitle(), "and different full dates with zones");
        log("the same message shows %s / \"%s\" on Ann's page and %s / \"%s\" on Bob's", onAnn.timeText(),
                onAnn.timeTitle(), onBob.timeText(), onBob.timeTitle());
    }

    @Test
    @Order(7)
    void aMessageOverTheSizeLimitShowsAnErrorAndIsNotSent() {
        int max = Integer.parseInt(bobPage.attribute("body", "data-max-bytes"));
        assertEquals(16384, max);
        List<String> storedBefore = NodeMessages.all(bob.http()).stream().map(m -> m.getString("id")).toList();
        int shownBefore = bobPage.messages().size();
        // 8,193 characters, 16,385 bytes: within the limit counted in characters, over it in UTF-8 bytes.
        String over = "é".repeat(max / 2) + "!";
        bobPage.pasteIntoComposer("é".repeat(max / 2));
        bobPage.type("!");
        assertEquals(over, bobPage.composerValue());
        bobPage.pressEnter();
        String error = bobBrowser.await(LIVE, "#composer-error shown with a reason",
                d -> bobPage.shown("#composer-error") && !bobPage.composerError().isBlank() ? bobPage.composerError() : null);
        log("over the limit, Bob's page says: %s", error);
        bobBrowser.screenshot("ChatPageIT.06-too-long", "bob-desktop");
        assertTrue(bobPage.withText(over).isEmpty(), "no message (pending, failed or sent) for the over-limit text");
        assertEquals(shownBefore, bobPage.messages().size(), "nothing was added to the list");
        assertEquals(over, bobPage.composerValue(), "the text stays in the composer to be shortened");

        // Exactly the limit is allowed: 8,191 é typed in at once, then "ok" by key: 16,384 bytes.
        String atLimit = "é".repeat(max / 2 - 1) + "ok";
        bobPage.clearComposer();
        bobPage.pasteIntoComposer("é".repeat(max / 2 - 1));
        bobPage.type("ok");
        long t0 = bobPage.pressEnter();
        Msg own = bobPage.await(SHOW, atLimit, "of Bob's own at exactly the limit, settled", m -> m.mine() && m.settled());
        annPage.await(SHOW, atLimit, "from Bob at exactly the limit", m -> m.theirs() && m.settled());
        log("a %d-byte message went through in %d ms", max, millisSince(t0));

        List<JsonObject> storedAfter = NodeMessages.all(bob.http());
        assertEquals(storedBefore.size() + 1, storedAfter.size(), "Bob's node stored only the message at the limit");
        assertEquals(own.id(), storedAfter.get(storedAfter.size() - 1).getString("id"));
        assertTrue(storedAfter.stream().noneMatch(m -> m.getString("text").equals(over)), "the over-limit text never reached the node");
        bobBrowser.assertNoJsErrors();
    }

    @Test
    @Order(8)
    void scrollingUpLoadsOlderPagesUntilTheFirstMessageKeepingThePlace() throws Exception {
        long t0 = System.nanoTime();
        postInParallel(ann.http(), SCROLL_MESSAGES);
        List<JsonObject> stored = NodeMessages.all(ann.http());
        List<String> storedIds = stored.stream().map(m -> m.getString("id")).toList();
        log("%d messages posted through REST in %d ms; Ann's node lists %d", SCROLL_MESSAGES, millisSince(t0), stored.size());
        // Bob's page was open all along: the 500 came to it live (through his node) and sit in ledger order.
        bobBrowser.await(Duration.ofSeconds(30), "all " + stored.size() + " messages on Bob's open page",
                d -> bobPage.messages().size() >= stored.size());
        NodeMessages.assertSameIds(storedIds, bobPage.messages().stream().filter(Msg::settled).map(Msg::id).toList(),
                "Bob's open page lists the pushed messages in ledger order, each once");

        // A fresh page: it starts with the newest page only.
        long loadStart = System.nanoTime();
        annPage.load();
        String newest = storedIds.get(storedIds.size() - 1);
        annBrowser.await(SHOW, "the newest message in the list",
                d -> annPage.messages().stream().anyMatch(m -> m.id().equals(newest)));
        annBrowser.settle();
        log("fresh page with the newest messages in %d ms", millisSince(loadStart));
        int initial = annPage.messages().size();
        assertTrue(initial < stored.size(), "the page starts with a page of messages, not all " + stored.size());
        assertFalse(annPage.shown("#history-start"), "#history-start hidden while older messages remain");
        assertTrue(visibleInList(annBrowser, newest), "the page opens at the newest message");
        annBrowser.screenshot("ChatPageIT.07-scroll", "ann-newest");

        annBrowser.js("""
                window.__loadingSeen = 0;
                var loading = document.getElementById('loading');
                function look() {
                  if (!loading.hidden && getComputedStyle(loading).display !== 'none' && loading.getClientRects().length > 0) {
                    window.__loadingSeen++;
                  }
                }
                new MutationObserver(look).observe(loading, {attributes: true});""");

        int rounds = 0;
        double worstDrift = 0;
        long scrollStart = System.nanoTime();
        while (!annPage.shown("#history-start")) {
            assertTrue(++rounds <= 40, "#history-start never appeared after " + (rounds - 1) + " scrolls to the top");
            // The oldest message shown and where it sits in the list's content.
            Map<?, ?> anchor = (Map<?, ?>) annBrowser.js("""
                    var list = document.getElementById('messages');
                    var first = list.querySelector('li.message');
                    return {id: first.dataset.id, count: list.querySelectorAll('li.message').length,
                            top: first.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop};""");
            String anchorId = (String) anchor.get("id");
            long count = ((Number) anchor.get("count")).longValue();
            double expectedTop = ((Number) anchor.get("top")).doubleValue();
            annBrowser.js("document.getElementById('messages').scrollTop = 0;");
            int round = rounds;
            annBrowser.await(SHOW, "round " + round + ": an older page after scrolling to the top",
                    d -> annPage.messages().size() > count || annPage.shown("#history-start"));
            annBrowser.await(SHOW, "round " + round + ": #loading hidden again", d -> !annPage.shown("#loading"));
            annBrowser.settle();
            Map<?, ?> now = (Map<?, ?>) annBrowser.js("""
                    var list = document.getElementById('messages');
                    var li = list.querySelector('li.message[data-id="' + arguments[0] + '"]');
                    var r = li.getBoundingClientRect(), l = list.getBoundingClientRect();
                    return {top: r.top - l.top, bottom: r.bottom - l.top, height: l.height, scrollTop: list.scrollTop};""",
                    anchorId);
            double top = ((Number) now.get("top")).doubleValue();
            double bottom = ((Number) now.get("bottom")).doubleValue();
            double height = ((Number) now.get("height")).doubleValue();
            if (annPage.messages().size() > count) {
                assertTrue(bottom > 0 && top < height, "round " + round + ": the message that was at the top ("
                        + anchorId + ") left the view when the older page came in: now at " + top + ".." + bottom
                        + " px in a list " + height + " px high, scrollTop " + now.get("scrollTop"));
                worstDrift = Math.max(worstDrift, Math.abs(top - expectedTop));
                assertTrue(Math.abs(top - expectedTop) <= 40, "round " + round + ": the message that was at the top moved "
                        + (top - expectedTop) + " px while the older page came in");
            }
            if (round == 1) {
                annBrowser.screenshot("ChatPageIT.07-scroll", "ann-after-first-older-page");
            }
        }
        log("%d scrolls to the top loaded %d messages back to the first in %d ms; the message at the top moved at most %.1f px",
                rounds, stored.size() - initial, millisSince(scrollStart), worstDrift);

        List<String> shownIds = annPage.messages().stream().map(Msg::id).toList();
        NodeMessages.assertSameIds(storedIds, shownIds, "the page lists exactly the node's messages, in ledger order, each once");
        List<String> orders = annPage.messages().stream().map(Msg::order).toList();
        assertTrue(orders.stream().noneMatch(String::isEmpty), "every message has a data-order");
        assertEquals(orders.stream().sorted().toList(), orders, "data-order sorts the list as shown");
        assertEquals(Boolean.TRUE, annBrowser.js("var first = document.querySelector('#messages > li:not(.history-edge)');"
                + " return first !== null && first.classList.contains('day-separator');"),
                "the history opens with a day separator (li.day-separator), after the start-of-history line");
        annBrowser.js("document.getElementById('messages').scrollTop = 0;");
        annBrowser.settle();
        assertTrue(visibleInList(annBrowser, storedIds.get(0)), "the first message of the ledger is shown at the top");
        assertTrue(annPage.shown("#history-start"), "#history-start shown");
        assertFalse(annPage.shown("#loading"), "#loading hidden at the start of history");
        assertTrue(((Number) annBrowser.js("return window.__loadingSeen;")).intValue() > 0,
                "#loading was visible while older messages loaded");
        annBrowser.screenshot("ChatPageIT.07-scroll", "ann-history-start");

        // Reading old messages, a new one arrives: the place is kept and #new-messages offers the way down.
        String late = "Bob writes while Ann reads old messages";
        assertEquals(201, bob.http().sendMessage(late).status());
        annPage.await(SHOW, late, "from Bob", m -> m.theirs() && m.settled());
        annBrowser.await(SHOW, "#new-messages shown", d -> annPage.shown("#new-messages"));
        annBrowser.settle();
        assertTrue(visibleInList(annBrowser, storedIds.get(0)), "the reader's place is kept when a message arrives");
        annBrowser.screenshot("ChatPageIT.07-scroll", "ann-new-messages");
        annBrowser.find("#new-messages").click();
        String lateId = annPage.withText(late).get(0).id();
        annBrowser.await(SHOW, "the new message in view after clicking #new-messages",
                d -> visibleInList(annBrowser, lateId) && !annPage.shown("#new-messages"));
        annBrowser.assertNoJsErrors();
    }

    @Test
    @Order(9)
    void aStoppedNodeShowsOfflineAndItsPageCatchesUpWhenItReturns() {
        bobBrowser.js("window.__sameDocument = 'never reloaded';");
        long stopAt = System.nanoTime();
        bob.terminate();
        String state = bobBrowser.await(SHOW, "#link-state offline or reconnecting after Bob's node stopped",
                d -> Set.of("offline", "reconnecting").contains(bobPage.linkState()) ? bobPage.linkState() : null);
        log("Bob's page shows %s (\"%s\") %d ms after the stop", state, bobBrowser.find("#link-state").getText(),
                millisSince(stopAt));
        List<String> problems = new ArrayList<>();
        soft(problems, () -> annBrowser.await(Duration.ofSeconds(30), "Ann's #peer-count back to 0",
                d -> "0".equals(annPage.attribute("#peer-count", "data-count"))));

        String queuedText = "Bob typed this while his node was down";
        boolean disabled = !bobPage.composer().isEnabled() || !bobBrowser.find("#send").isEnabled();
        if (!disabled) {
            bobPage.send(queuedText);
            Msg queued = bobPage.await(LIVE, queuedText, "queued (pending) while offline", m -> m.mine() || m.failed());
            assertTrue(queued.pending() && !queued.failed(),
                    "sending while offline must be disabled or queued; the page shows " + queued);
        }
        log("while offline, Bob's page %s", disabled ? "disables sending" : "queues the message (li.pending)");
        bobBrowser.screenshot("ChatPageIT.08-offline", "bob-desktop");

        String meanwhile = "Ann wrote this while Bob's node was down";
        annPage.send(meanwhile);
        Msg annMsg = annPage.await(LIVE, meanwhile, "of Ann's own, settled", m -> m.mine() && m.settled());

        long restart = System.nanoTime();
        bob.startAndAwaitReady();
        long readyMs = millisSince(restart);
        bobBrowser.await(Duration.ofSeconds(90), "#link-state connected again after Bob's node restarted",
                d -> "connected".equals(bobPage.linkState()));
        long connectedMs = millisSince(restart);
        bobPage.await(Duration.ofSeconds(30), meanwhile, "from Ann, sent while Bob was down",
                m -> m.theirs() && m.settled() && m.id().equals(annMsg.id()));
        log("Bob's node ready %d ms after the restart, page connected at %d ms, Ann's message shown at %d ms",
                readyMs, connectedMs, millisSince(restart));
        assertEquals("never reloaded", bobBrowser.js("return window.__sameDocument;"), "the page caught up without a reload");

        if (!disabled) {
            Msg delivered = bobPage.await(Duration.ofSeconds(30), queuedText, "of Bob's own, delivered after reconnect",
                    m -> m.mine() && m.settled());
            annPage.await(Duration.ofSeconds(30), queuedText, "from Bob, queued while offline",
                    m -> m.theirs() && m.settled() && m.id().equals(delivered.id()));
            assertEquals(1, bobPage.withText(queuedText).size(), "the queued message shows once on Bob's page");
            long stored = NodeMessages.all(bob.http()).stream().filter(m -> m.getString("text").equals(queuedText)).count();
            assertEquals(1, stored, "the queued message was stored once");
        }
        for (ChatView page : pages()) {
            soft(problems, () -> page.browser().await(Duration.ofSeconds(30), "#peer-count 1 again",
                    d -> "1".equals(page.attribute("#peer-count", "data-count"))));
            List<String> ids = page.messages().stream().map(Msg::id).toList();
            assertEquals(new HashSet<>(ids).size(), ids.size(), page.browser().name() + ": no message twice");
            page.browser().assertNoJsErrors();
        }
        bobBrowser.screenshot("ChatPageIT.08-back", "bob-desktop");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @Order(10)
    void screenshotsAtDesktopAndPhoneSizes() {
        for (ChatView page : pages()) {
            Browser b = page.browser();
            for (Map.Entry<String, Dimension> size : List.of(Map.entry("desktop", Browser.DESKTOP),
                    Map.entry("phone", Browser.PHONE))) {
                b.resize(size.getValue());
                page.scrollToBottom();
                b.settle();
                Path shot = b.screenshot("ChatPageIT.09-" + size.getKey(), b.name());
                log("screenshot %s", shot);
                Map<?, ?> fit = (Map<?, ?>) b.js("""
                        var c = document.getElementById('composer').getBoundingClientRect();
                        var s = document.getElementById('send').getBoundingClientRect();
                        return {overflow: document.documentElement.scrollWidth - window.innerWidth,
                                tall: document.documentElement.scrollHeight - window.innerHeight,
                                composer: c.bottom <= window.innerHeight && c.right <= window.innerWidth && c.width > 0,
                                send: s.bottom <= window.innerHeight && s.right <= window.innerWidth && s.width > 0};""");
                assertTrue(((Number) fit.get("overflow")).intValue() <= 0,
                        b.name() + " at " + size.getKey() + " size scrolls sideways by " + fit.get("overflow") + " px");
                assertTrue(((Number) fit.get("tall")).intValue() <= 0, b.name() + " at " + size.getKey()
                        + " size: the page itself scrolls by " + fit.get("tall") + " px (only the message list should)");
                assertEquals(Boolean.TRUE, fit.get("composer"), b.name() + " at " + size.getKey() + ": the composer is in view");
                assertEquals(Boolean.TRUE, fit.get("send"), b.name() + " at " + size.getKey() + ": the send button is in view");
                List<Msg> shown = page.messages();
                Msg mine = lastWhere(shown, Msg::mine);
                Msg theirs = lastWhere(shown, Msg::theirs);
                Map<?, ?> places = textBoxes(page, mine.id(), theirs.id());
                assertOnTheRight(page, (Map<?, ?>) places.get(mine.id()), (Map<?, ?>) places.get(theirs.id()),
                        ((Number) places.get("center")).doubleValue());
            }
            b.resize(Browser.DESKTOP);
            b.assertNoJsErrors();
        }
    }

    // ---- helpers

    /** Runs a check whose failure should not stop the rest of a test; the failure is kept for its end. */
    private static void soft(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            problems.add(e.getMessage());
            log("(kept for the end of the test) %s", e.getMessage());
        }
    }

    /**
     * Types {@code text} into {@code from} and presses Enter; within 2 s of Enter it must show there as
     * one's own ({@code mine}, stored) and on {@code to} as a peer's ({@code theirs}, with the sender's name).
     */
    private Msg exchange(ChatView from, ChatView to, String text) {
        from.type(text);
        long t0 = from.pressEnter();
        Msg own = from.await(LIVE, text, "of its own (li.mine, stored)", m -> m.mine() && m.settled());
        long ownMs = millisSince(t0);
        Msg seen = to.await(remaining(t0, LIVE), text, "from the other page (li.theirs)", m -> m.theirs() && m.settled());
        long seenMs = millisSince(t0);
        assertEquals(name(from), seen.sender() == null ? null : seen.sender().trim(), "the sender's name on the other page");
        assertEquals(own.id(), seen.id(), "the same block on both pages");
        assertFalse(own.id().startsWith("pending-"));
        assertEquals("", from.composerValue(), "the composer is empty after sending");
        log("%s -> %s: own page %d ms, other page %d ms after Enter", from.browser().name(), to.browser().name(),
                ownMs, seenMs);
        return own;
    }

    /** Where the glyphs of each message's text are, relative to the list, and the list's horizontal center. */
    private static Map<?, ?> textBoxes(ChatView page, String... ids) {
        return (Map<?, ?>) page.browser().js("""
                var list = document.getElementById('messages').getBoundingClientRect();
                var out = {center: (list.left + list.right) / 2};
                Array.from(arguments).forEach(function (id) {
                  var text = document.querySelector('#messages li.message[data-id="' + id + '"] .text');
                  var range = document.createRange();
                  range.selectNodeContents(text);
                  var r = range.getBoundingClientRect();
                  out[id] = {left: r.left, right: r.right};
                });
                return out;""", (Object[]) ids);
    }

    private static void assertOnTheRight(ChatView page, Map<?, ?> mine, Map<?, ?> theirs, double center) {
        double mineLeft = ((Number) mine.get("left")).doubleValue();
        double mineRight = ((Number) mine.get("right")).doubleValue();
        double theirsLeft = ((Number) theirs.get("left")).doubleValue();
        double theirsRight = ((Number) theirs.get("right")).doubleValue();
        String where = page.browser().name() + " (window " + page.browser().js("return window.innerWidth;")
                + " px): mine at " + mineLeft + ".." + mineRight + ", theirs at " + theirsLeft + ".." + theirsRight
                + ", list center " + center;
        assertTrue(mineRight > center && theirsLeft < center, "own text on the right, a peer's on the left: " + where);
        assertTrue(mineLeft > theirsLeft && mineRight > theirsRight, "own text further right than a peer's: " + where);
    }

    /** True if the message's element overlaps the visible part of {@code #messages}. */
    private static boolean visibleInList(Browser b, String id) {
        return Boolean.TRUE.equals(b.js("""
                var list = document.getElementById('messages').getBoundingClientRect();
                var li = document.querySelector('#messages li.message[data-id="' + arguments[0] + '"]');
                if (!li) { return false; }
                var r = li.getBoundingClientRect();
                return r.bottom > list.top && r.top < list.bottom && r.height > 0;""", id));
    }

    private static void assertShownIn(String page, String zone, Instant at, Msg m) {
        ZonedDateTime local = at.atZone(ZoneId.of(zone));
        int hour = local.getHour();
        int hour12 = hour % 12 == 0 ? 12 : hour % 12;
        String clock = "(?<!\\d)(0?" + hour + "|0?" + hour12 + ")[:.]" + String.format("%02d", local.getMinute()) + "(?!\\d)";
        assertTrue(Pattern.compile(clock).matcher(m.timeText()).find(),
                page + " shows " + m.timeText() + " for " + at + "; in " + zone + " that is " + local.toLocalTime());
        String title = m.timeTitle();
        assertTrue(title != null && title.contains(Integer.toString(local.getYear()))
                        && Pattern.compile("(?<!\\d)0?" + local.getDayOfMonth() + "(?!\\d)").matcher(title).find()
                        && Pattern.compile(clock).matcher(title).find(),
                page + ": the time's title holds the full date and time in " + zone + " (" + local + "): " + title);
        Pattern zoneName = zone.equals("UTC")
                ? Pattern.compile("UTC|Coordinated Universal|GMT(?![+-])")
                : Pattern.compile("GMT\\+0?5:30|UTC\\+0?5:30|\\+05:?30|IST|India|Kolkata|Calcutta");
        assertTrue(zoneName.matcher(title).find(), page + ": the time's title names the zone " + zone + ": " + title);
    }

    private static void postInParallel(HttpJson http, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String text = String.format("older message %03d", i);
                sends.add(() -> http.sendMessage(text).status());
            }
            for (Future<Integer> status : pool.invokeAll(sends)) {
                assertEquals(201, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Msg lastWhere(List<Msg> messages, java.util.function.Predicate<Msg> wanted) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (wanted.test(messages.get(i)) && messages.get(i).settled()) {
                return messages.get(i);
            }
        }
        throw new AssertionError("no such message among " + messages.size());
    }

    private List<ChatView> pages() {
        return List.of(annPage, bobPage);
    }

    private NodeProcess node(ChatView page) {
        return page == annPage ? ann : bob;
    }

    private String name(ChatView page) {
        return page == annPage ? ANN : BOB;
    }

    private String zone(ChatView page) {
        return page == annPage ? ANN_ZONE : BOB_ZONE;
    }

    private static Duration remaining(long startNanos, Duration budget) {
        long left = budget.toNanos() - (System.nanoTime() - startNanos);
        return Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(1)));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[ChatPageIT] " + format + "%n", args);
    }

    /**
     * A new user's first steps: a fresh node founds a group of its own; its owner opens the invite link Ann made on
     * that node's page, the "join a group" form is there with the code filled in, and one click later the node is a
     * member and its page shows the group's history. Removed later, its page says so and keeps that history.
     */
    @Test
    @Order(11)
    void aFreshNodeJoinsFromTheInviteLinkOnItsOwnPage() throws Exception {
        int webC = NodeProcess.freePort();
        Map<String, String> cleoEnv = new java.util.LinkedHashMap<>(Group.settings(dir, "cleo", webC, NodeProcess.freePort()));
        try (NodeProcess cleo = new NodeProcess("cleo", dir.resolve("cleo-work"), dir, cleoEnv).startAndAwaitReady();
             Browser cleoBrowser = Browser.open("cleo", Browser.DESKTOP, BROWSER_ZONE)) {
            String link = ann.http().post("/api/invites", "{}").json().getString("link");
            String code = link.substring(link.indexOf("#join=") + "#join=".length());
            cleoBrowser.get("http://localhost:" + webC + "/#join=" + code);
            cleoBrowser.await("the join form, filled in", d -> cleoBrowser.find("#join-form").isDisplayed()
                    && code.equals(cleoBrowser.find("#join-code").getAttribute("value")));
            cleoBrowser.screenshot("ChatPageIT", "join-form");
            cleoBrowser.find("#join").click();
            List<JsonObject> history = NodeMessages.all(ann.http());
            String newest = history.get(history.size() - 1).getString("text");
            cleoBrowser.await(Duration.ofSeconds(60), "the group's newest message on Cleo's page",
                    d -> cleoBrowser.texts("#messages .message .text").contains(newest));
            assertTrue(ann.http().get("/api/members").body().contains("\"name\":\"cleo\""), "Cleo is a member by Ann's node");
            assertFalse(cleo.http().get("/api/node").json().getBoolean("joinable"), "a member may not join elsewhere");
            assertTrue(cleo.http().get("/api/node").json().getBoolean("member"));

            // Removed: Ann's node hands Cleo's node its removal before closing the link, so Cleo's page can say why.
            assertEquals(204, ann.http().delete("/api/members/" + cleo.http().get("/api/node").json().getString("key")).status());
            String standing = (String) cleoBrowser.awaitJs(Duration.ofSeconds(30), "Cleo's page saying it is outside",
                    "var s = document.getElementById('membership-state'); return s.hidden ? null : s.textContent;");
            assertTrue(standing.startsWith("This node is no longer a member of the group"), standing);
            assertFalse(cleo.http().get("/api/node").json().getBoolean("member"));
            assertTrue(cleoBrowser.texts("#messages .message .text").contains(newest), "the history stays readable");
            cleoBrowser.screenshot("ChatPageIT", "removed");
            cleoBrowser.assertNoJsErrors();
        }
    }

    /**
     * An invite revoked before it was used: the joiner's page says a member refused it and why, the node stays
     * outside the group with nothing of its history, and the form is there for another code.
     */
    @Test
    @Order(12)
    void aRevokedInviteIsRefusedAndTheJoinersPageSaysWhy() throws Exception {
        int webD = NodeProcess.freePort();
        Map<String, String> dionEnv = new java.util.LinkedHashMap<>(Group.settings(dir, "dion", webD, NodeProcess.freePort()));
        JsonObject invite = ann.http().post("/api/invites", "{}").json();
        assertEquals(204, ann.http().delete("/api/invites/" + invite.getString("id")).status());
        try (NodeProcess dion = new NodeProcess("dion", dir.resolve("dion-work"), dir, dionEnv).startAndAwaitReady();
             Browser dionBrowser = Browser.open("dion", Browser.DESKTOP, BROWSER_ZONE)) {
            dionBrowser.get("http://localhost:" + webD + "/#join=" + invite.getString("code"));
            dionBrowser.await("the join form, filled in", d -> dionBrowser.find("#join-form").isDisplayed());
            dionBrowser.find("#join").click();
            String said = (String) dionBrowser.awaitJs(Duration.ofSeconds(30), "the refusal on Dion's page", """
                    var s = document.getElementById('join-state').textContent;
                    return s.indexOf('refused') >= 0 ? s : null;""");
            assertEquals("A member refused the invite: invite revoked", said);
            dionBrowser.screenshot("ChatPageIT", "join-refused");
            assertTrue(dionBrowser.find("#join-form").isDisplayed(), "another code can be tried");
            JsonObject node = dion.http().get("/api/node").json();
            assertEquals("invite revoked", node.getString("joinRefusal"));
            assertTrue(node.getBoolean("joining"));
            assertEquals(0, dion.http().get("/api/messages").json().getJsonArray("messages").size(), "history leaked");
            assertFalse(ann.http().get("/api/members").body().contains("\"name\":\"dion\""), "Dion is a member");
            assertTrue(ann.logText().contains("[Members] Refused dion ("), "Ann's log does not name the refusal");
            assertTrue(dion.logText().contains("refused this node's invite: invite revoked"), dion.logTail());
            dionBrowser.assertNoJsErrors();
        }
    }
}
