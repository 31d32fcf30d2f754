package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.portlens.discovery.SocketTable;
import org.portlens.registry.Registry;
import org.portlens.testkit.Needs;

/**
 * The pages in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver})
 * driven by Selenium against a server started in this JVM on loopback. Search as you type, a port page's
 * sections, votes, the live listener table (a listener this test opens appears and goes without a
 * reload), the language switch, screenshots at phone and desktop widths and in dark mode (kept in
 * {@code target/screenshots}), and a process whose name and command line carry HTML and terminal
 * escapes, which must show as text.
 */
public class BrowserIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final char ESC = '\u001b';

    @TempDir
    static Path data;

    static Browser browser;
    static ChromeDriver driver;
    static WebServer server;
    static String base;

    /** On a failure: the page as the browser showed it, next to the screenshots, to see what went wrong. */
    @RegisterExtension
    static final TestWatcher KEEP_FAILED_PAGE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver == null) {
                return;
            }
            try {
                Path dir = screenshots();
                String name = "failed-" + context.getRequiredTestMethod().getName();
                Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
                Files.writeString(dir.resolve(name + ".html"), driver.getPageSource());
                System.out.println("[BrowserIT] " + context.getDisplayName() + " failed at " + driver.getCurrentUrl()
                        + ": the page is in " + dir.resolve(name + ".png"));
            } catch (RuntimeException | IOException e) {
                System.out.println("[BrowserIT] could not keep the failed page: " + e);
            }
        }
    };

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start(); // skips the class when Chromium or chromedriver is missing
        driver = browser.driver;
        server = WebServer.start(new WebServer.Options(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                null,
                null,
                data,
                null,
                Registry::bundled,
                SocketTable.system(),
                null,
                false,
                Duration.ofMillis(300),
                "test"));
        base = server.url();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Each test starts without cookies: no language chosen, no vote cast. */
    @BeforeEach
    void forget() {
        browser.cdp("Network.clearBrowserCookies", Map.of());
    }

    // ---- 1. search ---------------------------------------------------------------------------------

    @Test
    void searchAsYouTypeAndOpenAResult() {
        open("");
        driver.findElement(By.id("q")).sendKeys("netplay");
        By hit = By.xpath("//ol[@id='results']/li/a[.//strong[text()='netplay-port1']]");
        // the list is rebuilt as answers arrive: click the link once it is there and stays put
        browser.waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement a = d.findElement(hit);
            assertThat(a.getDomAttribute("href")).isEqualTo("/port/3640");
            a.click();
            return true;
        });
        browser.waiting().until(ExpectedConditions.urlToBe(base + "port/3640"));
        assertThat(driver.findElement(By.id("title")).getText()).isEqualTo("What port 3640 is");

        open("");
        driver.findElement(By.id("q")).sendKeys("3640");
        WebElement open = browser.waiting()
                .ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#results li.open a")));
        assertThat(open.getText()).isEqualTo("Open port 3640");
        assertThat(open.getDomProperty("href")).isEqualTo(base + "port/3640");
        assertThat(driver.findElement(By.id("search-status")).getText()).isEmpty();
    }

    // ---- 2. a port page --------------------------------------------------------------------------

    @Test
    void portPageHasEverySectionWithItsContent() throws IOException {
        boolean free = nothingListensOn(3640);
        open("port/3640");
        assertThat(driver.getTitle()).isEqualTo("Port 3640 · portlens");
        assertThat(driver.findElement(By.id("title")).getText()).isEqualTo("What port 3640 is");
        for (String id : List.of("range", "iana", "status", "uses", "check", "security", "live", "feedback")) {
            WebElement s = driver.findElement(By.id(id));
            assertThat(s.isDisplayed()).as("#%s is shown", id).isTrue();
            String heading = s.findElement(By.tagName("h2")).getText();
            assertThat(heading).as("#%s heading", id).isNotBlank();
            assertThat(s.getText().length())
                    .as("#%s has text beyond its heading", id)
                    .isGreaterThan(heading.length() + 20);
        }
        assertThat(section("range"))
                .contains("Port 3640 sits in the User Ports")
                .contains("1024-49151");

        WebElement iana = driver.findElement(By.id("iana"));
        assertThat(iana.findElements(By.cssSelector("dd.service")))
                .extracting(WebElement::getText)
                .containsExactly("netplay-port1", "netplay-port1");
        assertThat(iana.findElement(By.cssSelector("dl#tcp")).getText()).contains("tcp (3640/tcp)");
        assertThat(iana.findElement(By.cssSelector("dl#udp")).getText()).contains("udp (3640/udp)");

        assertThat(driver.findElement(By.id("status")).getDomAttribute("data-status"))
                .isEqualTo("registered-unused");
        assertThat(section("status")).contains("Registered but unused");
        assertThat(section("uses")).contains("3640");

        List<String> linux = checks("Linux");
        assertThat(linux).anyMatch(c -> c.matches(".*\\bss\\b.*:3640.*"));
        assertThat(linux).anyMatch(c -> c.contains("lsof") && c.contains(":3640"));
        assertThat(checks("Windows")).anyMatch(c -> c.startsWith("netstat ") && c.contains(":3640"));
        assertThat(checks("macOS")).isNotEmpty();

        assertThat(section("security")).contains("port 3640");

        WebElement live = driver.findElement(By.id("live"));
        assertThat(live.findElement(By.tagName("h2")).getText()).isEqualTo("On this host now");
        assertThat(live.getText()).contains("Read at ").contains("Verdict");
        if (free) {
            assertThat(live.getText()).contains("Nothing listens on port 3640 on this host.");
            assertThat(live.findElements(By.cssSelector("article.listener"))).isEmpty();
        } else {
            assertThat(live.findElements(By.cssSelector("article.listener"))).isNotEmpty();
        }

        WebElement feedback = driver.findElement(By.id("feedback"));
        assertThat(feedback.findElement(By.tagName("h2")).getText()).isEqualTo("Was this page helpful?");
        assertThat(feedback.findElement(By.id("vote-yes")).getText()).isEqualTo("Yes");
        assertThat(feedback.findElement(By.id("vote-no")).getText()).isEqualTo("No");
        assertThat(feedback.findElement(By.id("vote-totals")).getText())
                .matches("\\d+ found it helpful, \\d+ did not\\.");
        assertThat(feedback.findElement(By.id("vote-thanks")).isDisplayed()).isFalse();
    }

    // ---- 3. votes --------------------------------------------------------------------------------

    @Test
    void voteThenChangeTheVoteAndItPersists() {
        open("port/3640");
        int yes = votes("data-yes");
        int no = votes("data-no");
        assertThat(driver.findElement(By.id("vote-thanks")).isDisplayed()).isFalse();

        driver.findElement(By.id("vote-yes")).click();
        awaitVotes(yes + 1, no);
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("vote-thanks")));
        assertThat(driver.findElement(By.id("vote-totals")).getText())
                .isEqualTo((yes + 1) + " found it helpful, " + no + " did not.");
        assertThat(driver.findElement(By.id("vote-error")).isDisplayed()).isFalse();

        driver.findElement(By.id("vote-no")).click(); // the same browser: replaces its yes
        awaitVotes(yes, no + 1);
        assertThat(driver.findElement(By.id("vote-totals")).getText())
                .isEqualTo(yes + " found it helpful, " + (no + 1) + " did not.");

        browser.js("window.__marker = 42;");
        driver.navigate().refresh();
        browser.waiting().until(d -> browser.js("return window.__marker") == null); // a new page
        assertThat(votes("data-yes")).isEqualTo(yes);
        assertThat(votes("data-no")).isEqualTo(no + 1);
        assertThat(Files.exists(data.resolve("votes.db"))).isTrue();
    }

    // ---- 4. the live listener table --------------------------------------------------------------

    @Test
    void listenersAppearAndGoWithoutAReload() throws IOException {
        open("listeners");
        browser.waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-following", "1"));
        browser.js("window.__marker = 42;");
        By row;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            row = By.cssSelector("#listeners tbody tr[data-id*='|127.0.0.1|" + s.getLocalPort() + "|']");
            WebElement tr = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(row));
            assertThat(tr.getDomAttribute("data-id")).startsWith("tcp|127.0.0.1|" + s.getLocalPort() + "|");
            assertThat(tr.getText()).contains("127.0.0.1:" + s.getLocalPort());
            assertThat(tr.findElement(By.cssSelector("td.owner")).getText())
                    .contains("(pid " + ProcessHandle.current().pid());
            assertThat(browser.js("return window.__marker")).isEqualTo(42L);
        }
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(row, 0));
        assertThat(browser.js("return window.__marker"))
                .as("the page was not reloaded")
                .isEqualTo(42L);
        assertThat(driver.findElement(By.id("live-status")).getText())
                .isEqualTo("Live: updates as listeners open and close.");
        int rows = driver.findElements(By.cssSelector("#listeners tbody tr")).size();
        assertThat(driver.findElement(By.id("listener-count")).getText()).isEqualTo(rows + " listener(s)");
    }

    // ---- 5. languages ----------------------------------------------------------------------------

    @Test
    void italianAndBackToEnglish() {
        open("port/3640?lang=it");
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang"))
                .isEqualTo("it");
        assertThat(driver.findElement(By.id("title")).getText()).isEqualTo("Cos'è la porta 3640");
        assertThat(driver.findElement(By.cssSelector("#feedback h2")).getText())
                .isEqualTo("Questa pagina è stata utile?");
        assertThat(driver.findElements(By.id("lang-it"))).isEmpty(); // the current one is not a link

        open("port/3641"); // the cookie keeps the choice
        assertThat(driver.findElement(By.id("title")).getText()).isEqualTo("Cos'è la porta 3641");

        driver.findElement(By.id("lang-en")).click();
        browser.waiting().until(ExpectedConditions.textToBe(By.id("title"), "What port 3641 is"));
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang"))
                .isEqualTo("en");
        assertThat(driver.findElement(By.cssSelector("#feedback h2")).getText()).isEqualTo("Was this page helpful?");
        assertThat(driver.findElement(By.id("lang-it")).getText()).isEqualTo("Italiano");
    }

    /**
     * A text with an apostrophe shows it once. The bundles are MessageFormat patterns (an apostrophe is
     * written twice), but texts without values are read with {@code Messages.t}, which does not unquote,
     * and the page script fills {@code data-template} the same way.
     */
    @Test
    void apostrophesShowOnce() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : List.of("port/3640?lang=en", "port/3640?lang=it", "?lang=it", "port/22?lang=it")) {
            open(path);
            soft.assertThat(linesWith(driver.findElement(By.tagName("body")).getText(), "''"))
                    .as("lines of /%s that show a doubled apostrophe", path)
                    .isEmpty();
        }
        open("port/3640?lang=en");
        soft.assertThat(driver.findElement(By.cssSelector("#iana h2")).getText())
                .isEqualTo("What IANA's registry says");
        open("port/3640?lang=it");
        soft.assertThat(driver.findElement(By.cssSelector("#range h2")).getText())
                .isEqualTo("L'intervallo");

        open("port/3640/udp?lang=it"); // its own page key: the other vote test's totals stay apart
        int yes = votes("data-yes");
        driver.findElement(By.id("vote-yes")).click();
        awaitVotes(yes + 1, votes("data-no"));
        soft.assertThat(driver.findElement(By.id("vote-totals")).getText())
                .as("the totals the page script wrote after a vote")
                .isEqualTo((yes + 1) + " l'hanno trovata utile, " + votes("data-no") + " no.");
        soft.assertAll();
    }

    // ---- 6. screenshots --------------------------------------------------------------------------

    @Test
    void screenshotsAtPhoneAndDesktopWidthAndInDarkMode() throws IOException {
        Path dir = screenshots();
        open("port/3640");
        try {
            viewport(390, 844, true);
            assertThat(browser.js("return window.innerWidth")).isEqualTo(390L);
            assertThat(((Number) browser.js("return document.documentElement.scrollWidth")).longValue())
                    .as("the page at phone width does not scroll sideways")
                    .isLessThanOrEqualTo(391L);
            fullPage(dir.resolve("port-3640-phone.png"), 390);

            viewport(1366, 900, false);
            assertThat(browser.js("return window.innerWidth")).isEqualTo(1366L);
            fullPage(dir.resolve("port-3640-desktop.png"), 1366);
            String light = background();

            browser.cdp(
                    "Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
            browser.waiting().until(d -> !background().equals(light));
            assertThat(browser.js("return matchMedia('(prefers-color-scheme: dark)').matches"))
                    .isEqualTo(true);
            fullPage(dir.resolve("port-3640-dark.png"), 1366);
            assertThat(background()).isNotEqualTo(light);
            assertThat(light).isEqualTo("rgb(255, 255, 255)");
        } finally {
            browser.cdp("Emulation.setEmulatedMedia", Map.of("media", "", "features", List.of()));
            browser.cdp("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    // ---- 7. hostile process names ----------------------------------------------------------------

    @Test
    void processNamesAndCommandLinesRenderAsText() throws Exception {
        Path python = Needs.binary("python3", "python3", "/usr/bin/python3");
        // the process name (comm, 15 bytes at most) and an argument, both with markup, quotes and ESC
        String comm = "<script>\"'" + ESC + "[";
        String arg = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"><b>bold</b>\"'" + ESC
                + "[31m";
        String code = "import ctypes,socket,sys; ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0);"
                + " s=socket.socket(); s.bind(('127.0.0.1', 0)); s.listen();"
                + " print(s.getsockname()[1], flush=True); sys.stdin.read()";
        Process p = new ProcessBuilder(python.toString(), "-c", code, comm, arg)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            assertThat(line).as("the child's port").matches("\\d+");
            int port = Integer.parseInt(line);
            String shownComm = comm.replace(String.valueOf(ESC), "\\x1b");
            String shownArg = arg.replace(String.valueOf(ESC), "\\x1b");

            open("port/" + port);
            WebElement live = driver.findElement(By.id("live"));
            assertThat(live.findElement(By.cssSelector("article.listener dd.owner strong"))
                            .getText())
                    .isEqualTo(shownComm);
            assertThat(live.findElement(By.cssSelector("article.listener code.cmd"))
                            .getText())
                    .endsWith(" " + shownArg);
            assertThat(live.findElement(By.cssSelector("ul.verdict")).getText()).contains(shownComm);
            assertInert();

            open("listeners");
            browser.waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-following", "1"));
            WebElement owner = browser.waiting()
                    .until(ExpectedConditions.presenceOfElementLocated(
                            By.cssSelector("#listeners tbody tr[data-id*='|127.0.0.1|" + port + "|'] td.owner")));
            assertThat(owner.getText()).startsWith(shownComm + " (pid " + p.pid() + ", ");
            assertInert();

            // the HTML as the server sends it, before the page script rebuilds the table
            HttpClient http = HttpClient.newHttpClient();
            String html = get(http, "listeners").body();
            assertThat(html).contains("&lt;script&gt;\"'\\x1b[").doesNotContain("<script>\"'");

            HttpResponse<String> api = get(http, "api/ports/" + port);
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(api.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(api.body()).as("no raw ESC byte in the JSON").doesNotContain(String.valueOf(ESC));
            JsonNode doc = JSON.readTree(api.body());
            List<String> names = new ArrayList<>();
            doc.findValues("process").forEach(n -> names.add(n.path("name").asText()));
            assertThat(names)
                    .as("process names in the JSON: the real name, JSON-escaped")
                    .contains(comm);
            List<String> args = new ArrayList<>();
            doc.findValues("commandLine").forEach(a -> a.forEach(x -> args.add(x.asText())));
            assertThat(args)
                    .as("the command line in the JSON, argument for argument")
                    .contains(arg);
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Nothing of the hostile text became markup or ran: one script (the page's own), no images, no b. */
    private static void assertInert() {
        assertThat(browser.js("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(browser.js("return Array.from(document.scripts).map(s => new URL(s.src).pathname)"))
                .isEqualTo(List.of("/static/portlens.js"));
        assertThat(browser.js("return document.querySelectorAll('img, b, [onerror]').length"))
                .isEqualTo(0L);
        String text = (String) browser.js("return document.body.textContent");
        assertThat(text).contains("<script>").doesNotContain(String.valueOf(ESC));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void open(String path) {
        driver.get(base + path);
    }

    private static String section(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** The commands under one OS's heading of the check section. */
    private static List<String> checks(String os) {
        List<String> out = new ArrayList<>();
        for (WebElement c : driver.findElements(
                By.xpath("//section[@id='check']/h3[text()='" + os + "']/following-sibling::dl[1]//dt/code"))) {
            out.add(c.getText());
        }
        return out;
    }

    private static int votes(String attribute) {
        return Integer.parseInt(driver.findElement(By.id("vote-totals")).getDomAttribute(attribute));
    }

    private static void awaitVotes(int yes, int no) {
        browser.waiting().until((WebDriver d) -> {
            WebElement t = d.findElement(By.id("vote-totals"));
            return String.valueOf(yes).equals(t.getDomAttribute("data-yes"))
                    && String.valueOf(no).equals(t.getDomAttribute("data-no"));
        });
    }

    private static List<String> linesWith(String text, String part) {
        return Arrays.stream(text.split("\n")).filter(l -> l.contains(part)).toList();
    }

    /** Whether no TCP or UDP socket of this network namespace holds {@code port} (so the page must say so). */
    private static boolean nothingListensOn(int port) {
        try (ServerSocket t = new ServerSocket();
                DatagramSocket u = new DatagramSocket(null)) {
            t.bind(new InetSocketAddress(port));
            u.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Emulates a viewport of exactly this size (CSS pixels, scale 1), a phone's when {@code mobile}. */
    private static void viewport(int width, int height, boolean mobile) {
        browser.cdp(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        browser.waiting().until(d -> Long.valueOf(width).equals(browser.js("return window.innerWidth")));
    }

    /** The whole page, beyond the viewport, as a PNG of {@code width} pixels; checked and saved. */
    private static void fullPage(Path file, int width) throws IOException {
        long height = ((Number) browser.js("return document.documentElement.scrollHeight")).longValue();
        Map<String, Object> shot = browser.cdp(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        Files.write(file, png);
        assertThat(Arrays.copyOf(png, 8))
                .as("PNG signature of " + file)
                .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as(file + " decodes").isNotNull();
        assertThat(image.getWidth()).as(file + " width").isEqualTo(width);
        assertThat((long) image.getHeight())
                .as(file + " height: the whole page")
                .isEqualTo(height);
        long viewport = ((Number) browser.js("return window.innerHeight")).longValue();
        assertThat((long) image.getHeight())
                .as(file + " is longer than the screen")
                .isGreaterThan(viewport);
    }

    private static String background() {
        return (String) browser.js("return getComputedStyle(document.body).backgroundColor");
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static Path screenshots() throws IOException {
        Path dir = Path.of(System.getProperty("portlens.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        return dir;
    }
}
