package net.ledgerchat.it.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The chat page ({@code /}) as its DOM contract describes it, read and driven through a
 * {@link Browser}: the header states, the message list and the composer. Reads of the list are one
 * script call each, so a page of 500 messages costs one round trip, not thousands.
 */
final class ChatView {
    /** One {@code li.message} as the page shows it. */
    record Msg(String id, String order, Set<String> classes, String sender, String text, String datetime,
               String timeText, String timeTitle, String failure) {
        boolean mine() {
            return classes.contains("mine");
        }

        boolean theirs() {
            return classes.contains("theirs");
        }

        boolean pending() {
            return classes.contains("pending") || id.startsWith("pending-");
        }

        boolean failed() {
            return classes.contains("failed");
        }

        /** Stored and acknowledged: neither pending nor failed, and named by its block hash. */
        boolean settled() {
            return !pending() && !failed() && !id.isEmpty();
        }
    }

    private static final String READ_MESSAGES = """
            var only = arguments[0];
            return Array.from(document.querySelectorAll('#messages li.message')).filter(function (li) {
              var t = li.querySelector('.text');
              return only === null || (t !== null && t.textContent === only);
            }).map(function (li) {
              function q(s) { return li.querySelector(s); }
              var sender = q('.sender'), text = q('.text'), time = q('time'), failure = q('.failure');
              return [li.dataset.id || '', li.dataset.order || '', li.className,
                sender ? sender.textContent : null, text ? text.textContent : null,
                time ? time.getAttribute('datetime') : null, time ? time.textContent : null,
                time ? time.getAttribute('title') : null, failure ? failure.textContent : null];
            });""";

    private final Browser browser;
    private final String url;

    ChatView(Browser browser, String url) {
        this.browser = browser;
        this.url = url;
    }

    Browser browser() {
        return browser;
    }

    String url() {
        return url;
    }

    /** Loads the page and waits until its socket is connected. */
    void load() {
        browser.get(url);
        browser.await(Duration.ofSeconds(20), "the page at " + url + " connected (#link-state[data-state=connected])",
                d -> "connected".equals(linkState()));
    }

    String linkState() {
        return String.valueOf(browser.js(
                "var e = document.getElementById('link-state'); return e ? e.dataset.state : 'no #link-state';"));
    }

    String attribute(String css, String name) {
        return (String) browser.js("var e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                css, name);
    }

    /** True if the element exists and takes up space on screen (not {@code hidden}, not {@code display:none}). */
    boolean shown(String css) {
        return Boolean.TRUE.equals(browser.js("""
                var e = document.querySelector(arguments[0]);
                if (!e || e.hidden) { return false; }
                var style = getComputedStyle(e);
                return style.display !== 'none' && style.visibility !== 'hidden' && e.getClientRects().length > 0;""", css));
    }

    /** Every message in the list, top to bottom. */
    List<Msg> messages() {
        return read(null);
    }

    /** Messages showing exactly {@code text} (filtered in the page). */
    List<Msg> withText(String text) {
        return read(text);
    }

    @SuppressWarnings("unchecked")
    private List<Msg> read(String onlyText) {
        List<Msg> out = new ArrayList<>();
        for (Object row : (List<Object>) browser.js(READ_MESSAGES, onlyText)) {
            List<Object> f = (List<Object>) row;
            Set<String> classes = Arrays.stream(String.valueOf(f.get(2)).trim().split("\\s+"))
                    .collect(Collectors.toUnmodifiableSet());
            out.add(new Msg((String) f.get(0), (String) f.get(1), classes, (String) f.get(3), (String) f.get(4),
                    (String) f.get(5), (String) f.get(6), (String) f.get(7), (String) f.get(8)));
        }
        return out;
    }

    /** Waits for a message showing exactly {@code text} that matches {@code wanted}; returns it. */
    Msg await(Duration timeout, String text, String what, Predicate<Msg> wanted) {
        return browser.await(timeout, "a message " + what + " showing \"" + abbreviate(text) + "\"",
                d -> withText(text).stream().filter(wanted).findFirst().orElse(null));
    }

    WebElement composer() {
        return browser.find("textarea#composer");
    }

    String composerValue() {
        return (String) browser.js("return document.getElementById('composer').value;");
    }

    /** Types into the composer with real key events. */
    void type(CharSequence... keys) {
        composer().sendKeys(keys);
    }

    /** Presses Enter in the composer; returns {@link System#nanoTime()} just after. */
    long pressEnter() {
        composer().sendKeys(Keys.ENTER);
        return System.nanoTime();
    }

    /** Types {@code text} and presses Enter; returns {@link System#nanoTime()} just after Enter. */
    long send(String text) {
        type(text);
        return pressEnter();
    }

    /** Empties the composer as a person would: select all, delete. */
    void clearComposer() {
        composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    }

    /** Puts a long text into the composer at once (typing 16 KB key by key takes minutes) and fires {@code input}. */
    void pasteIntoComposer(String text) {
        browser.js("""
                var c = document.getElementById('composer');
                c.focus();
                c.value = arguments[0];
                c.setSelectionRange(c.value.length, c.value.length);
                c.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));""", text);
    }

    String composerError() {
        return (String) browser.js("var e = document.getElementById('composer-error'); return e ? e.textContent : null;");
    }

    void scrollToBottom() {
        browser.js("var l = document.getElementById('messages'); l.scrollTop = l.scrollHeight;");
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "... (" + text.length() + " chars)";
    }
}
