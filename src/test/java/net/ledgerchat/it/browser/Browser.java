package net.ledgerchat.it.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test: Debian's {@code /usr/bin/chromium} driven through Debian's
 * {@code /usr/bin/chromedriver} (so Selenium Manager has nothing to find and downloads nothing), a
 * fresh temporary profile, a window of a chosen size and a chosen time zone. Helpers wait for
 * conditions explicitly, collect the browser console (for JavaScript errors) and save screenshots
 * under {@code target/screenshots/<test>-<step>.png} for a person to look at.
 *
 * <p>Missing Chromium or ChromeDriver is a test failure, never a skip: CI installs both
 * ({@code .ci/run}). {@code -Dbrowser.chromium=...} and {@code -Dbrowser.chromedriver=...} point
 * elsewhere on other systems.
 */
public final class Browser implements AutoCloseable {
    /** The flags that run Chromium headless here without a sandbox, a GPU, /dev/shm or any network of its own. */
    public static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--lang=en-US");
    public static final Dimension DESKTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);
    /** How long a wait polls by default. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * Console lines that are the network's doing rather than the page's script: a resource that
     * answered 404 (favicon, a control image) and a WebSocket that could not connect while its node
     * is down. Everything else at SEVERE counts as a JavaScript error.
     */
    private static final List<String> NETWORK_NOISE = List.of("Failed to load resource", "WebSocket connection to");
    /** Chromium processes of browsers not closed yet, ended by profile directory if the test JVM dies first. */
    private static final Set<Path> OPEN_PROFILES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN_PROFILES.forEach(Browser::killChromiumUsing),
                "browser-reaper"));
    }

    private final String name;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(String name, Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.name = name;
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts a headless Chromium.
     *
     * @param name     for log files, e.g. {@code ann}
     * @param size     the window, e.g. {@link #DESKTOP}
     * @param timeZone the browser's own zone (the {@code TZ} of ChromeDriver and so of Chromium), or null for the machine's
     */
    public static Browser open(String name, Dimension size, String timeZone) {
        Path chromium = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            fail("the browser tests need Chromium at " + chromium + " and ChromeDriver at " + chromedriver
                    + " (Debian: apt-get install chromium chromium-driver; .ci/run does this)");
        }
        Path target = Path.of(System.getProperty("browser.dir", "target")).toAbsolutePath();
        Path profile;
        try {
            Path profiles = Files.createDirectories(target.resolve("browser-profiles"));
            profile = Files.createTempDirectory(profiles, name + "-");
            Files.createDirectories(target.resolve("browser-logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService.Builder builder = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(target.resolve("browser-logs").resolve(name + "-chromedriver.log").toFile());
        if (timeZone != null) {
            builder.withEnvironment(Map.of("TZ", timeZone));
        }
        ChromeDriverService service = builder.build();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile, "--window-size=" + size.width + "," + size.height);
        // An alert stays open (instead of being dismissed by the next command), so a test can find it.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);

        OPEN_PROFILES.add(profile);
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            Browser browser = new Browser(name, profile, service, driver);
            browser.resize(size);
            return browser;
        } catch (RuntimeException e) {
            service.stop();
            killChromiumUsing(profile);
            OPEN_PROFILES.remove(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public String name() {
        return name;
    }

    public void get(String url) {
        driver.get(url);
    }

    /**
     * Makes the page's viewport {@code size} ({@code innerWidth} x {@code innerHeight}). Headless
     * Chromium counts a window frame in the outer size (and keeps a minimum outer width), and the page
     * sees a new size only a frame or two later: so set, let it settle, correct by the difference.
     */
    public void resize(Dimension size) {
        Dimension inner = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            Dimension outer = driver.manage().window().getSize();
            inner = settledViewport();
            if (inner.equals(size)) {
                return;
            }
            driver.manage().window().setSize(new Dimension(outer.width + size.width - inner.width,
                    outer.height + size.height - inner.height));
        }
        inner = settledViewport();
        if (!inner.equals(size)) {
            fail(name + ": asked for a viewport of " + size + ", the page sees " + inner);
        }
    }

    /** The viewport once two reads a painted frame apart agree. */
    private Dimension settledViewport() {
        Dimension last = viewport();
        for (int i = 0; i < 20; i++) {
            settle();
            Dimension now = viewport();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** The page's {@code innerWidth} x {@code innerHeight}. */
    public Dimension viewport() {
        List<?> wh = (List<?>) js("return [window.innerWidth, window.innerHeight];");
        return new Dimension(((Number) wh.get(0)).intValue(), ((Number) wh.get(1)).intValue());
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * The rendered text of every element matching {@code css}, read in one script: a list the page re-renders
     * between two WebDriver calls cannot hand back an element that has just left the document.
     */
    @SuppressWarnings("unchecked")
    public List<String> texts(String css) {
        return (List<String>) js("return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);", css);
    }

    /** Runs a script in the page and returns what it returns (see {@link JavascriptExecutor#executeScript}). */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to {@link #WAIT} for {@code condition} to give a non-null, non-false value. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return await(WAIT, what, condition);
    }

    /**
     * Waits up to {@code timeout}, polling every 50 ms, for {@code condition} to give a non-null,
     * non-false value and returns it; fails naming {@code what} (and saying where) otherwise.
     */
    public <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": " + what + " did not happen within " + timeout.toMillis() + " ms", e);
        }
    }

    /** Waits until the script returns something truthy (it is run as a function body). */
    public Object awaitJs(Duration timeout, String what, String script, Object... args) {
        return await(timeout, what, d -> {
            Object value = js(script, args);
            return value == null || Boolean.FALSE.equals(value) ? null : value;
        });
    }

    /** Returns after the page has painted twice: whatever a change scheduled for the next frame has run. */
    public void settle() {
        ((JavascriptExecutor) driver).executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });");
    }

    /** The open alert's text, or null if none is open. */
    public String openAlert() {
        try {
            return driver.switchTo().alert().getText();
        } catch (NoAlertPresentException e) {
            return null;
        }
    }

    /** Every console entry since the browser started (Selenium hands each out once; they are kept here). */
    public synchronized List<LogEntry> console() {
        driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
        return List.copyOf(console);
    }

    /** Console entries at SEVERE that are not network noise: uncaught exceptions, console.error. */
    public List<String> jsErrors() {
        return console().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> NETWORK_NOISE.stream().noneMatch(m::contains))
                .toList();
    }

    public void assertNoJsErrors() {
        List<String> errors = jsErrors();
        if (!errors.isEmpty()) {
            fail(name + ": JavaScript errors in the console: " + errors);
        }
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/<test>-<step>.png} and returns its path. */
    public Path screenshot(String test, String step) {
        Path file = screenshotDir().resolve(safe(test) + "-" + safe(step) + ".png");
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Saves the live DOM ({@code outerHTML}) next to the screenshots, for failure reports. */
    public Path saveDom(String test, String step) {
        Path file = screenshotDir().resolve(safe(test) + "-" + safe(step) + ".html");
        try {
            Files.writeString(file, String.valueOf(js("return document.documentElement.outerHTML;")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Quits ChromeDriver and Chromium and deletes the profile; no browser process is left behind. */
    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            System.err.println("[Browser] " + name + ": quit failed: " + e);
        } finally {
            service.stop();
            killChromiumUsing(profile);
            OPEN_PROFILES.remove(profile);
            deleteTree(profile);
        }
    }

    @Override
    public String toString() {
        return "Browser " + name;
    }

    private static Path screenshotDir() {
        Path dir = Path.of(System.getProperty("browser.dir", "target")).toAbsolutePath().resolve("screenshots");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Ends only Chromium processes started with this browser's own profile directory. */
    private static void killChromiumUsing(Path profile) {
        String marker = "--user-data-dir=" + profile;
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Chromium may still be closing a file; the directory is under target/ and goes with mvn clean.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // As above.
        }
    }
}
