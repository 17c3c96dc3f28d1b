package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.connectors.deviceidentity.ManufacturerTrust;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.SharedHubTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGNUP-1 / SIGNUP-2, the device side of headed sign-up before any subscription exists, over real HTTPS against the
 * shared sandbox hub: a device with a certificate from the sandbox's test manufacturer CA signs the hub's challenge
 * and gets a limited session and the sign-up page; expired, self-signed, untrusted and revoked certificates are refused
 * with a clear 403; a challenge works once; the session opens nothing but the sign-up paths; bad form input comes back
 * as the page with a message per field (400). Nothing here reaches the saga.
 */
class SignupAuthenticationTest extends SharedHubTest {

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static TestManufacturerCa ca;

    @BeforeAll
    static void manufacturer() {
        // The very CA the hub trusts (hub.device-identity.sandbox-ca-directory, set by the sandbox).
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
    }

    /** A fresh test IMEI (TAC 00…, the check digit computed). */
    static String imei(int block) {
        return Imei.withCheckDigit(String.format("00%06d%06d", 994_000 + block, SERIAL.incrementAndGet()));
    }

    @Test // SIGNUP-1, SIGNUP-2: signed challenge → limited session (cookie) → the sign-up page with billing's plans
    void deviceWithATrustedCertificateGetsASessionAndTheSignupPage() {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(imei(1)));

        HttpResponse<String> session = band.signIn();

        assertThat(session.statusCode()).isEqualTo(201);
        String setCookie = session.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("hub_signup=").contains("Path=/signup", "Secure", "HttpOnly", "SameSite=Strict");
        HttpResponse<String> page = band.page();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        List<Plan> plans = hub.context().getBean(BillingOrders.class).plans();
        assertThat(plans).isNotEmpty();
        for (Plan plan : plans) {
            assertThat(page.body()).contains("id=\"plan-" + plan.id() + "\"", SignupPages.esc(plan.name()));
            if (plan.price() != null) {
                assertThat(page.body()).contains(plan.price().amount().toPlainString() + " " + plan.price().currency());
            }
        }
        assertThat(page.body()).contains("name=\"viewport\"", "id=\"signup-form\"", "id=\"name\"", "id=\"email\"",
                "id=\"consent\"", "id=\"submit\"").doesNotContain("<script");
        assertThat(SignupDevice.csrfOf(page.body())).hasSize(64);
    }

    @Test // SIGNUP-2: the limited session allows the sign-up paths only; without one there is no page
    void theSessionOpensNothingElse() {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(imei(2)));
        assertThat(band.signIn().statusCode()).isEqualTo(201);
        SignupDevice stranger = new SignupDevice(hub, ca.mintImei(imei(3)));

        for (String path : List.of("/operator/v1/subscribers/001010000000001/configuration", "/operator/v1/campaigns",
                "/static/provisioning-sample.xml", "/")) {
            HttpResponse<String> withSession = band.get(path);
            HttpResponse<String> without = stranger.get(path);
            assertThat(withSession.statusCode()).as(path).isEqualTo(without.statusCode());
            assertThat(withSession.body()).as(path).isEqualTo(without.body());
        }
        HttpResponse<String> noSession = stranger.page();
        assertThat(noSession.statusCode()).isEqualTo(401);
        assertThat(noSession.body()).contains("not signed in");
        stranger.useCookie("hub_signup=" + "A".repeat(43));
        assertThat(stranger.page().statusCode()).isEqualTo(401);
        assertThat(stranger.profile().statusCode()).isEqualTo(401);
    }

    @Test // SIGNUP-1: a challenge is single use, and only the hub's own challenges count
    void aChallengeWorksOnce() {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(imei(4)));
        String jws = band.device().signChallenge(band.challenge());

        assertThat(band.postSession(jws).statusCode()).isEqualTo(201);
        HttpResponse<String> replay = band.postSession(jws);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("BAD_CHALLENGE", "already used");
        HttpResponse<String> madeUp = band.postSession(band.device().signChallenge("a-nonce-the-hub-never-issued-0123456789"));
        assertThat(madeUp.statusCode()).isEqualTo(401);
    }

    @Test // SIGNUP-1: expired, self-signed, untrusted CA, revoked → 403 with the reason and a clear message
    void refusedCertificatesGetAClear403(@TempDir Path otherCaDir) {
        assertRefused(ca.device("IMEI:" + imei(5)).expired().mint(), "EXPIRED", "expired");
        assertRefused(ca.device("IMEI:" + imei(6)).selfSigned().mint(), "SELF_SIGNED", "self-signed");
        assertRefused(TestManufacturerCa.loadOrCreate(otherCaDir, "Other Devices").mintImei(imei(7)), "UNTRUSTED_CA", "");

        DeviceCredentials revoked = ca.mintImei(imei(8));
        ca.revoke(revoked.certificate());
        // What the operator's CRL refresh does (docs/device-identity.md), without waiting for crl-refresh-interval.
        hub.context().getBean(ManufacturerTrust.class).reloadCrls();
        assertRefused(revoked, "REVOKED", "revoked");
    }

    private static void assertRefused(DeviceCredentials credentials, String reason, String wording) {
        SignupDevice band = new SignupDevice(hub, credentials);
        HttpResponse<String> refused = band.signIn();
        assertThat(refused.statusCode()).as(reason).isEqualTo(403);
        assertThat(refused.body()).as(reason).contains("\"reason\":\"" + reason + "\"").contains(wording)
                .doesNotContain("Exception", "\tat ", "BEGIN CERTIFICATE");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(band.page().statusCode()).isEqualTo(401);
    }

    @Test // SIGNUP-1: not a JWS → 400; another media type → 415; plain HTTP → 403
    void malformedRequestsGetA4xx() throws Exception {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(imei(9)));
        HttpResponse<String> garbage = band.postSession("not-a-jws");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("MALFORMED");

        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> overHttp = plain.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + hub.httpPort() + "/signup/v1/challenge")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overHttp.statusCode()).isIn(403, 404);
    }

    @Test // SIGNUP-2: bad input → 400 and the page again, a message per field, the user's text escaped; CSRF checked
    void badFormInputComesBackWithMessages() {
        SignupDevice band = new SignupDevice(hub, ca.mintImei(imei(10)));
        assertThat(band.signIn().statusCode()).isEqualTo(201);
        String csrf = SignupDevice.csrfOf(band.page().body());
        int signupsBefore = signups();

        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf);
        form.put("plan", "no-such-plan");
        form.put("name", "<script>alert(1)</script>");
        form.put("email", "not-an-address");
        HttpResponse<String> answer = band.submit(form);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("id=\"error-plan\"", "This plan is no longer offered",
                "id=\"error-email\"", "does not look like an e-mail address", "id=\"error-consent\"", "tick the box")
                .doesNotContain("id=\"error-name\"", "<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        form.put("name", "  ");
        form.put("email", "ada@example.org");
        form.put("plan", "");
        form.put("consent", "yes");
        HttpResponse<String> again = band.submit(form);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("Please enter your name.", "Please choose a plan.")
                .doesNotContain("id=\"error-email\"", "id=\"error-consent\"").contains("value=\"ada@example.org\"");

        form.put("csrf", "0".repeat(64));
        assertThat(band.submit(form).statusCode()).isEqualTo(403);
        assertThat(signups()).isEqualTo(signupsBefore);
    }

    private static int signups() {
        return hub.hubDatabase().queryForObject("SELECT count(*) FROM signup", Integer.class);
    }
}
