package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.SharedHubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.provisioninghub.routes.signup.SignupSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-up page (SIGNUP-2, issue 5's proof) in a real browser: Debian's headless Chromium driven by Selenium through
 * Debian's chromedriver, against the shared sandbox hub over HTTPS. The band signs in as a device (SignupDevice: signed
 * challenge → session cookie), the browser carries that cookie, and a person fills in the page: the plans come from
 * the billing simulator, wrong fields get messages a person understands and keep what was typed, a good form shows the
 * "being set up" page and the band can then download its profile. The page fits a 390-px-wide phone screen and works
 * with JavaScript switched off.
 * <p>
 * Without Chromium (or its driver) every test is SKIPPED with the reason, never passed: {@code .ci/run} installs
 * Debian's {@code chromium} and {@code chromium-driver}. The paths can be pointed elsewhere with
 * {@code -Dhub.test.chromium=...} and {@code -Dhub.test.chromedriver=...}. Selenium Manager never runs (it would
 * download a browser): the driver executable and the browser binary are both given explicitly.
 */
class SignupBrowserTest extends SharedHubTest {

    static final String CHROMIUM = System.getProperty("hub.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("hub.test.chromedriver", "/usr/bin/chromedriver");

    /**
     * Selenium warns on every browser that it has no DevTools (CDP) bindings for Debian's newer Chromium; these tests
     * use WebDriver only, never CDP, so the warning is noise. Held in a field: java.util.logging keeps loggers weakly.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    static {
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.SEVERE));
    }

    private static TestManufacturerCa ca;
    private WebDriver browser;

    @BeforeAll
    static void manufacturer() {
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
    }

    /**
     * Per test, not per class: a class-level assumption makes Surefire report "Tests run: 0", which reads as green.
     * Each test reported SKIPPED with the reason is what a reader of the build sees. (In a full build the shared hub
     * is up for the other tests anyway, so starting it here costs nothing extra.)
     */
    @BeforeEach
    void chromiumInstalled() {
        boolean chromium = Files.isExecutable(Path.of(CHROMIUM));
        boolean driver = Files.isExecutable(Path.of(CHROMEDRIVER));
        Assumptions.assumeTrue(chromium && driver, () -> "no real browser for the sign-up page tests: "
                + (chromium ? "" : "no " + CHROMIUM + " ") + (driver ? "" : "no " + CHROMEDRIVER + " ")
                + "(.ci/run installs Debian's chromium and chromium-driver: "
                + "apt-get install --no-install-recommends chromium chromium-driver)");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test // SIGNUP-1, SIGNUP-2: the device's session cookie in a real browser → the page with billing's plans
    void theBrowserCarriesTheDevicesSessionAndShowsBillingsPlans() {
        SignupDevice band = signedInBand(301);
        browser = chromium(false, false);

        // Without the cookie the browser gets the page that says what to do, not the form.
        browser.get(url("/signup"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your band is not signed in");
        assertThat(browser.findElements(By.id("signup-form"))).isEmpty();

        carrySession(band);
        browser.get(url("/signup"));
        assertThat(browser.getTitle()).isEqualTo("Sign up for your band");
        assertThat(browser.findElements(By.id("signup-form"))).hasSize(1);
        List<Plan> plans = hub.context().getBean(BillingOrders.class).plans();
        assertThat(plans).isNotEmpty();
        for (Plan plan : plans) {
            WebElement radio = browser.findElement(By.id("plan-" + plan.id()));
            assertThat(radio.getAttribute("type")).isEqualTo("radio");
            assertThat(radio.isSelected()).isFalse();
            String label = browser.findElement(By.cssSelector("label[for='plan-" + plan.id() + "']")).getText();
            assertThat(label).contains(plan.name()).contains("Includes: " + String.join(", ", plan.services()));
            if (plan.price() != null) {
                assertThat(label).contains(plan.price().amount().toPlainString() + " " + plan.price().currency());
            }
        }
        assertThat(browser.findElements(By.cssSelector("input[type=radio][name=plan]"))).hasSize(plans.size());
        assertThat(browser.findElements(By.cssSelector(".error"))).as("no messages before a submit").isEmpty();
    }

    @Test // SIGNUP-2: empty and invalid fields → a message per field a person understands; what was typed stays
    void wrongFieldsShowMessagesAndKeepWhatWasTyped() {
        SignupDevice band = signedInBand(302);
        browser = chromium(false, false);
        carrySession(band);
        browser.get(url("/signup"));

        submit();
        assertThat(text("error-summary")).isEqualTo("Please check the fields marked below.");
        assertThat(text("error-plan")).isEqualTo("Please choose a plan.");
        assertThat(text("error-name")).isEqualTo("Please enter your name.");
        assertThat(text("error-email")).isEqualTo("Please enter your e-mail address.");
        assertThat(text("error-consent")).isEqualTo("Please tick the box to agree to the terms before you sign up.");

        // "ada@example" passes the browser's own type=email check but not the hub's (no dot in the domain): the
        // hub's message is what the person sees.
        Plan plan = SignupSupport.firstPlan(hub);
        browser.findElement(By.id("plan-" + plan.id())).click();
        browser.findElement(By.id("name")).sendKeys("Grace Hopper");
        browser.findElement(By.id("email")).sendKeys("grace@example");
        submit();

        assertThat(text("error-email"))
                .isEqualTo("This does not look like an e-mail address. It should look like name@example.com.");
        assertThat(text("error-consent")).isEqualTo("Please tick the box to agree to the terms before you sign up.");
        assertThat(browser.findElements(By.id("error-name"))).as("the name was fine").isEmpty();
        assertThat(browser.findElements(By.id("error-plan"))).as("the plan was fine").isEmpty();
        assertThat(browser.findElement(By.id("name")).getDomProperty("value")).isEqualTo("Grace Hopper");
        assertThat(browser.findElement(By.id("email")).getDomProperty("value")).isEqualTo("grace@example");
        assertThat(browser.findElement(By.id("plan-" + plan.id())).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("consent")).isSelected()).isFalse();
        assertThat(SignupSupport.signupOf(hub, band)).as("nothing was started").isEmpty();
    }

    @Test // SIGNUP-2: a good form in the browser → "being set up" → the band downloads its profile over HTTPS
    void aGoodFormShowsBeingSetUpAndTheProfileBecomesDownloadable() throws Exception {
        SignupDevice band = signedInBand(303);
        browser = chromium(false, false);
        carrySession(band);
        browser.get(url("/signup"));
        Plan plan = fillInGoodForm();
        submit();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your band is being set up");
        assertThat(browser.findElement(By.id("status")).getText()).contains("downloads its settings by itself");

        // The device side, over HTTP with the same session: the profile is ready and is the plan chosen in the browser.
        HttpResponse<String> download = band.awaitProfile(Duration.ofSeconds(60));
        assertThat(download.statusCode()).isEqualTo(200);
        JsonNode profile = JSON.readTree(band.device().decrypt(download.body()));
        assertThat(profile.at("/plan/id").asText()).isEqualTo(plan.id());
        assertThat(SignupSupport.hlrRow(hub, profile.get("imsi").asText())).as("the HLR holds the subscriber").isNotEmpty();

        browser.navigate().refresh();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your band is ready");
    }

    @Test // SIGNUP-2 on a band's companion phone: 390 px wide, nothing overflows, the submit button can be reached
    void thePageFitsAPhoneScreen() {
        SignupDevice band = signedInBand(304);
        browser = chromium(true, false);
        carrySession(band);
        browser.get(url("/signup"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long innerWidth = ((Number) js.executeScript("return window.innerWidth")).longValue();
        assertThat(innerWidth).as("the viewport really is a phone's").isEqualTo(390L);
        assertFitsHorizontally(js);

        // The longest page: every field with its message.
        submit();
        assertThat(browser.findElements(By.cssSelector(".error"))).hasSizeGreaterThanOrEqualTo(4);
        assertFitsHorizontally(js);

        WebElement submit = browser.findElement(By.id("submit"));
        js.executeScript("arguments[0].scrollIntoView({block: 'center'})", submit);
        assertThat(submit.isDisplayed()).isTrue();
        Map<?, ?> box = (Map<?, ?>) js.executeScript("const r = arguments[0].getBoundingClientRect();"
                + "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height};", submit);
        assertThat(((Number) box.get("left")).doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(((Number) box.get("right")).doubleValue()).isLessThanOrEqualTo(innerWidth);
        assertThat(((Number) box.get("top")).doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(((Number) box.get("bottom")).doubleValue())
                .isLessThanOrEqualTo(((Number) js.executeScript("return window.innerHeight")).doubleValue());
        assertThat(((Number) box.get("height")).doubleValue()).as("a large touch target").isGreaterThanOrEqualTo(44);
    }

    @Test // SIGNUP-2: the page has no JavaScript of its own; with JavaScript switched off a sign-up still goes through
    void theFormWorksWithJavaScriptSwitchedOff() throws Exception {
        // The browser really runs no scripts: a page that would set its title from a script keeps its own.
        browser = chromium(false, true);
        browser.get("data:text/html,<title>no script</title><script>document.title='script ran'</script>");
        assertThat(browser.getTitle()).isEqualTo("no script");

        SignupDevice band = signedInBand(305);
        carrySession(band);
        browser.get(url("/signup"));
        submit();
        assertThat(text("error-name")).as("validation is the hub's, not a script's").isEqualTo("Please enter your name.");
        fillInGoodForm();
        submit();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your band is being set up");
        Map<String, Object> row = SignupSupport.awaitSignup(hub, band, r -> !r.isEmpty(), Duration.ofSeconds(10));
        assertThat(row.get("state")).isNotEqualTo("failed");
        assertThat(band.awaitProfile(Duration.ofSeconds(60)).statusCode()).isEqualTo(200);
    }

    /** A fresh band (its own IMEI) signed in as a device: challenge → signed challenge → session cookie. */
    private static SignupDevice signedInBand(int block) {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(block)));
        assertThat(band.signIn().statusCode()).isEqualTo(201);
        assertThat(band.cookie()).startsWith(SignupSessions.COOKIE_NAME + "=");
        return band;
    }

    /**
     * Hands the band's session to the browser: a cookie can only be added for the page's own origin, so the browser
     * is on the hub's origin first, then gets the cookie as the hub set it (Path=/signup, Secure, HttpOnly, Strict).
     */
    private void carrySession(SignupDevice band) {
        browser.get(url("/signup"));
        String[] cookie = band.cookie().split("=", 2);
        browser.manage().addCookie(new Cookie.Builder(cookie[0], cookie[1]).path("/signup").isSecure(true)
                .isHttpOnly(true).sameSite("Strict").build());
    }

    private Plan fillInGoodForm() {
        Plan plan = SignupSupport.firstPlan(hub);
        browser.findElement(By.id("plan-" + plan.id())).click();
        WebElement name = browser.findElement(By.id("name"));
        name.clear();
        name.sendKeys("Ada Lovelace");
        WebElement email = browser.findElement(By.id("email"));
        email.clear();
        email.sendKeys("ada@example.org");
        WebElement consent = browser.findElement(By.id("consent"));
        if (!consent.isSelected()) {
            consent.click();
        }
        return plan;
    }

    /** Presses "Sign up" and waits until the browser shows the page the hub answered (the old one is gone). */
    private void submit() {
        WebElement button = browser.findElement(By.id("submit"));
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> isGone(button));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(
                driver -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    /**
     * Whether the element left the document. ExpectedConditions.stalenessOf knows only Selenium's stale-element error;
     * asked while the new page replaces the old one, Chrome may instead answer "Node with given id does not belong to
     * the document" (seen once in CI): the same fact.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            return e.getMessage() != null && e.getMessage().contains("does not belong to the document");
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void assertFitsHorizontally(JavascriptExecutor js) {
        long scrollWidth = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
        long innerWidth = ((Number) js.executeScript("return window.innerWidth")).longValue();
        assertThat(scrollWidth).as("page width %d fits the %d-px window", scrollWidth, innerWidth).isLessThanOrEqualTo(innerWidth);
    }

    private static String url(String path) {
        return "https://localhost:" + hub.httpsPort() + path;
    }

    /** Debian's Chromium, headless, never Selenium Manager: the binary and the driver are given explicitly. */
    private static WebDriver chromium(boolean phone, boolean javaScriptOff) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                // The sandbox's development certificate is self-signed (the device client pins it; the browser may not).
                "--ignore-certificate-errors", "--window-size=1280,900");
        if (phone) {
            // A desktop window cannot be narrower than 500 px, so the phone is Chrome's device emulation instead: a
            // 390 × 844 touch screen that honours the page's viewport meta, as a phone's browser does (without that
            // meta the page would be laid out 980 px wide and the width check below would catch it).
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true, "mobile", true)));
        }
        if (javaScriptOff) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        // A chromedriver per browser: Selenium stops the driver service when its browser quits anyway.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().withLogFile(hub.dataDirectory().resolve("chromedriver-" + System.nanoTime() + ".log")
                        .toFile()).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
