package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's authorization server as a person's browser and the console would use it (issue 13): authorization code
 * with PKCE (RFC 7636), the user's login on the operator port, and the token's roles at the operator API. Also the
 * client-credentials grant's refusals.
 */
class SandboxAuthorizationServerTest extends SharedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "https://localhost:8444/console/login/oauth2/code/hub";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Test // issue 13: a sandbox user signs in with authorization code + PKCE; the token carries the user's role
    void aSandboxUserGetsATokenWithAuthorizationCodeAndPkce() throws Exception {
        OperatorClient operator = hub.operator("care"); // for its TLS setup and the operator port
        HttpClient browser = HttpClient.newBuilder().sslContext(operator.sslContext()).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = random();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = "/oauth2/authorize?response_type=code&client_id=hub-console&scope=openid&state=s1"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";

        HttpResponse<String> toLogin = get(browser, operator.uri(authorize));
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        HttpResponse<String> loginPage = get(browser, operator.uri("/login"));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF.matcher(loginPage.body());
        assertThat(csrf.find()).as("the login form has a CSRF token").isTrue();

        HttpResponse<String> wrong = post(browser, operator.uri("/login"),
                "username=security&password=guess&_csrf=" + csrf.group(1));
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).contains("/login?error");

        HttpResponse<String> loggedIn = post(browser, operator.uri("/login"),
                "username=security&password=sandbox-security&_csrf=" + csrf.group(1));
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> redirected = get(browser, URI.create(loggedIn.headers().firstValue("Location").orElseThrow()));
        String back = redirected.headers().firstValue("Location").orElseThrow();
        assertThat(back).startsWith(REDIRECT + "?code=").contains("state=s1");
        String code = decode(back.replaceAll(".*[?&]code=([^&]+).*", "$1"));

        HttpResponse<String> withoutVerifier = post(browser, operator.uri("/oauth2/token"), "grant_type=authorization_code"
                + "&client_id=hub-console&code=" + code + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        assertThat(withoutVerifier.statusCode()).as("PKCE is required").isIn(400, 401);
        // A refused redemption may have spent the code: the logged-in session gets a new one.
        String freshCode = freshCode(browser, operator, authorize);
        HttpResponse<String> token = post(browser, operator.uri("/oauth2/token"), "grant_type=authorization_code"
                + "&client_id=hub-console&code=" + freshCode + "&code_verifier=" + verifier
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = JSON.readTree(token.body()).path("access_token").asText();

        HttpRequest.Builder campaigns = HttpRequest.newBuilder(operator.uri("/operator/v1/campaigns"))
                .header("Authorization", "Bearer " + accessToken).GET();
        assertThat(operator.send(campaigns.build()).statusCode()).isEqualTo(200);
        HttpRequest.Builder lookup = HttpRequest.newBuilder(operator.uri("/operator/v1/subscribers/001010000000001/configuration"))
                .header("Authorization", "Bearer " + accessToken).GET();
        assertThat(operator.send(lookup.build()).statusCode()).as("security has no care role").isEqualTo(403);

        JsonNode audited = JSON.readTree(hub.operator("admin").get("/operator/v1/audit?subject=security&action=campaign.list&limit=1")
                .body()).path("events").get(0);
        assertThat(audited.path("clientId").asText()).isEqualTo("hub-console");
        assertThat(audited.path("roles").toString()).isEqualTo("[\"security\"]");
    }

    @Test // issue 13: client credentials with a wrong secret or an unknown client get no token
    void wrongClientCredentialsGetNoToken() {
        OperatorClient operator = hub.operator("care");
        for (String credentials : new String[] {"care:sandbox-admin", "nobody:sandbox-care"}) {
            HttpResponse<String> answer = operator.send(HttpRequest.newBuilder(operator.uri("/oauth2/token"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            credentials.getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            assertThat(answer.statusCode()).as(credentials).isEqualTo(401);
        }
        assertThat(operator.requestToken().statusCode()).isEqualTo(200);
    }

    /** The session is logged in: authorize again and take the code from the redirect. */
    private static String freshCode(HttpClient browser, OperatorClient operator, String authorize) throws Exception {
        String location = get(browser, operator.uri(authorize)).headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=");
        return decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"));
    }

    private static HttpResponse<String> get(HttpClient browser, URI uri) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient browser, URI uri, String form) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
