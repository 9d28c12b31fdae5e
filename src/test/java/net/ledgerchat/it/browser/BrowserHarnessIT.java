package net.ledgerchat.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The controls behind ChatPageIT's negative checks: the harness does see an alert, an uncaught
 * exception and {@code console.error} (and does not count a 404 as a script error), applies the
 * browser's time zone and window size, and writes screenshots. Without these, "no alert" and "no
 * JavaScript errors" there would prove nothing. Also: nothing was downloaded for the browser.
 */
class BrowserHarnessIT {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theHarnessSeesAlertsErrorsZoneAndSize() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("<!DOCTYPE html><html><head><title>harness</title></head><body><p id=p>hello</p>"
                    + "<script>console.log('fine');</script></body></html>").getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/") ? 200 : 404;
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://localhost:" + server.getAddress().getPort() + "/";
        try (Browser browser = Browser.open("harness", Browser.PHONE, "Asia/Kathmandu")) {
            browser.get(url);
            assertEquals("hello", browser.find("#p").getText());
            assertEquals(Browser.PHONE, browser.viewport());
            // ICU still calls it by its old name.
            assertTrue(List.of("Asia/Kathmandu", "Asia/Katmandu")
                    .contains(browser.js("return Intl.DateTimeFormat().resolvedOptions().timeZone;")));
            browser.resize(Browser.DESKTOP);
            assertEquals(Browser.DESKTOP, browser.viewport());

            // A 404 image is network noise, not a script error; its onerror proves it was tried.
            browser.js("var i = new Image(); i.onerror = function () { window.__control = 1; }; i.src = 'missing.png';");
            browser.awaitJs(Duration.ofSeconds(5), "the control image's onerror", "return window.__control === 1;");
            assertEquals(List.of(), browser.jsErrors());
            assertNull(browser.openAlert());

            browser.js("setTimeout(function () { throw new Error('boom from the page'); }, 0);"
                    + "console.error('logged error');");
            List<String> errors = browser.await(Duration.ofSeconds(5), "two script errors in the console",
                    d -> browser.jsErrors().size() >= 2 ? browser.jsErrors() : null);
            assertTrue(errors.stream().anyMatch(e -> e.contains("boom from the page")), errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.contains("logged error")), errors.toString());

            browser.js("setTimeout(function () { alert('xss'); }, 0);");
            assertEquals("xss", browser.await(Duration.ofSeconds(5), "the alert", d -> browser.openAlert()));
            browser.driver().switchTo().alert().dismiss();
            assertNull(browser.openAlert());

            Path shot = browser.screenshot("BrowserHarnessIT", "desktop");
            assertTrue(Files.size(shot) > 1000, "a PNG of the page at " + shot);
        } finally {
            server.stop(0);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "selenium");
        assertTrue(!Files.exists(cache) || isEmptyOfBrowsers(cache), "Selenium Manager downloaded into " + cache);
    }

    private static boolean isEmptyOfBrowsers(Path cache) throws Exception {
        try (var walk = Files.walk(cache)) {
            return walk.noneMatch(p -> p.getFileName().toString().startsWith("chrome"));
        }
    }
}
