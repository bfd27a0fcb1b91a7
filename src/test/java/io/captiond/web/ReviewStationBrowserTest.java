package io.captiond.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captiond.CaptiondApplication;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A person at the review station, in Debian's headless Chromium: log in, make a dataset by dropping
 * three photos (and a broken one) into the page, watch it get captioned, fix a caption, find/replace
 * across the dataset, package, download the zip and find the fix in it, and read the broken file's
 * reason in the quarantine view. Skipped (with the reason) where chromium or chromedriver is missing.
 */
@CamelSpringBootTest
// closed after the class: its folders are a @TempDir that is gone once the class is done
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReviewStationBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String PASSWORD = "browser-test-password";
    static final Duration PIPELINE = Duration.ofSeconds(120);

    @TempDir
    static Path root;
    static DropFolders folders;
    static WebDriver browser;
    static Path downloads;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        folders = new DropFolders(root);
        folders.register(registry);
        registry.add("captiond.ui.password", () -> PASSWORD);
    }

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        // the system driver, so Selenium Manager never looks for (or downloads) one
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        downloads = Files.createDirectories(root.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(root.resolve("chromium-profile")));
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1100));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonReviewsADatasetFromUploadToZip() throws Exception {
        String base = "http://localhost:" + port;
        browser.get(base + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        browser.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login button")).click();
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));

        Path photos = Files.createDirectories(root.resolve("phone"));
        List<Path> picked = Stream.of("flower.webp", "Portrait_5.jpg", "samsung_gt-i9000_orientation6.jpg")
                .map(name -> copy(Fixtures.image(name), photos.resolve(name))).toList();
        Path broken = Files.write(photos.resolve("broken.jpg"),
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 3});
        browser.findElement(By.id("upload-dataset")).sendKeys("zeke_review");
        browser.findElement(By.id("upload-files")).sendKeys(String.join("\n",
                Stream.concat(picked.stream(), Stream.of(broken)).map(Path::toString).toList()));
        browser.findElement(By.id("upload-button")).click();
        waitFor(Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-result"), "Taken"));
        assertThat(browser.findElement(By.id("upload-result")).getText()).contains("Portrait_5.jpg");

        // the overview follows the dataset by itself (polling) until every photo is captioned
        By state = By.cssSelector("tr[data-dataset='zeke_review'] .state");
        waitFor(PIPELINE).until(ExpectedConditions.textToBe(state, "captioned"));
        assertThat(browser.findElement(By.cssSelector("tr[data-dataset='zeke_review'] [data-field='captioned']")).getText())
                .isEqualTo("3");

        browser.get(base + "/datasets/zeke_review");
        WebElement portrait = card("Portrait_5.jpg");
        WebElement caption = portrait.findElement(By.cssSelector(".caption"));
        caption.clear();
        caption.sendKeys("a woman smiling at the camera");
        portrait.findElement(By.cssSelector(".save")).click();
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElement(
                portrait.findElement(By.cssSelector(".status")), "saved"));
        assertThat(caption.getAttribute("value")).isEqualTo("zeke_review, a woman smiling at the camera");
        assertThat(portrait.findElement(By.cssSelector(".by")).getText()).isEqualTo("user");

        browser.findElement(By.id("replace-find")).sendKeys("smiling");
        browser.findElement(By.id("replace-with")).sendKeys("laughing");
        browser.findElement(By.id("replace-preview")).click();
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#replace-changes th"), "Would change 1 caption(s)"));
        assertThat(browser.findElement(By.cssSelector("#replace-changes .after")).getText())
                .isEqualTo("zeke_review, a woman laughing at the camera");
        browser.findElement(By.id("replace-apply")).click();
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#replace-changes th"), "Changed 1 caption(s)"));
        assertThat(card("Portrait_5.jpg").findElement(By.cssSelector(".caption")).getAttribute("value"))
                .isEqualTo("zeke_review, a woman laughing at the camera");

        screenshotOfTheContactSheet();

        browser.findElement(By.id("package")).click();
        waitFor(PIPELINE).until(driver -> {
            if (driver.findElements(By.id("download-zip")).isEmpty()) {
                driver.navigate().refresh();
                return false;
            }
            return true;
        });
        browser.findElement(By.id("download-zip")).click();
        Path zip = downloads.resolve("zeke_review_training.zip");
        waitFor(Duration.ofSeconds(30)).until(driver -> Files.exists(zip) && noDownloadInProgress());
        Map<String, byte[]> entries = DropFolders.zipContents(zip);
        assertThat(entries).containsKeys("Portrait_5.jpg", "flower.webp", "samsung_gt-i9000_orientation6.jpg");
        assertThat(new String(entries.get("Portrait_5.txt"), StandardCharsets.UTF_8).strip())
                .isEqualTo("zeke_review, a woman laughing at the camera");
        // the insight report written beside the zip opens from the same page
        browser.get(browser.findElement(By.id("open-report")).getAttribute("href"));
        assertThat(browser.getTitle()).isEqualTo("zeke_review — dataset report");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("zeke_review");
        // its own policy lets its inline style and its one script run (the station's would block both)
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.styleSheets.length"))
                .isEqualTo(1L);
        browser.findElement(By.id("kw")).sendKeys("nosuchwordanywhere");
        waitFor(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("kw-count")).getText().startsWith("0 of "));

        browser.get(base + "/quarantine");
        WebElement row = browser.findElement(By.cssSelector("section[data-dataset='zeke_review'] tr[data-file='broken.jpg']"));
        assertThat(row.findElement(By.cssSelector(".reason")).getText()).isNotBlank();
        assertThat(row.getText()).contains("normalise");
    }

    private WebElement card(String file) {
        return waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#sheet .card[data-file='" + file + "']")));
    }

    /** The contact sheet as a person sees it: target/ always, docs/ when asked (-Dcaptiond.docs.screenshot=true). */
    private void screenshotOfTheContactSheet() throws Exception {
        // every thumbnail loaded (they are lazy) before the picture is taken
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('sheet').scrollIntoView()");
        waitFor(Duration.ofSeconds(30)).until(driver -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#sheet img')].every(i => i.complete && i.naturalWidth > 0)"));
        byte[] png = browser.findElement(By.id("sheet")).getScreenshotAs(OutputType.BYTES);
        assertThat(png).isNotEmpty();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "review-contact-sheet.png"), png);
        if (Boolean.getBoolean("captiond.docs.screenshot")) {
            Files.write(Path.of("docs", "review-contact-sheet.png"), png);
        }
    }

    private static boolean noDownloadInProgress() {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static WebDriverWait waitFor(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(200));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static Path copy(Path from, Path to) {
        try {
            return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
