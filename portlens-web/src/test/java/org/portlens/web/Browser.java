package org.portlens.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.portlens.testkit.Needs;

/**
 * Headless Chromium driven through Selenium, from Debian's {@code chromium} and {@code chromium-driver}
 * (skips the test, saying how to get them, when they are missing). The driver and browser are given
 * by path, so Selenium Manager never runs and nothing is downloaded; the profile is a fresh temporary
 * directory, removed by {@link #close}.
 */
final class Browser implements AutoCloseable {

    /** The longest any wait of the tests waits. */
    static final Duration WAIT = Duration.ofSeconds(10);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Starts Chromium, or skips the test when Chromium or its driver is missing. */
    static Browser start() throws IOException {
        Path chromium = Needs.binary("chromium", "chromium", "/usr/bin/chromium");
        Path chromedriver = Needs.binary("chromedriver", "chromium-driver", "/usr/bin/chromedriver");
        System.setProperty("SE_AVOID_STATS", "true"); // no usage statistics: there is no network anyway
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        Path profile = Files.createTempDirectory("portlens-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--lang=en-US",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        // the pages answer in the language the browser asks for: English, whatever the machine's locale
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new Browser(driver, service, profile);
        } catch (RuntimeException | Error e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    /** A wait of at most {@link #WAIT}. */
    WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT);
    }

    /** Runs a script in the page and returns its value. */
    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A Chrome DevTools Protocol command. */
    Map<String, Object> cdp(String command, Map<String, Object> params) {
        return driver.executeCdpCommand(command, params);
    }

    /** Quits the browser and its driver and removes the profile, whatever fails on the way. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                service.stop();
            } finally {
                delete(profile);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind: said, not fatal
            System.out.println("[BrowserIT] could not remove " + dir + ": " + e);
        }
    }
}
