package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.SandboxDevice;
import io.provisioninghub.routes.support.HubInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A headed device (a smart band) signing up over real HTTPS (SIGNUP-1/2): it signs the hub's challenge with its
 * manufacturer key (SandboxDevice), keeps the session cookie like a browser, fills in the form, downloads and decrypts
 * its profile. TLS is verified against the sandbox's development certificate only.
 */
final class SignupDevice {

    private static final Pattern CSRF = Pattern.compile("id=\"csrf\" name=\"csrf\" value=\"([^\"]*)\"");

    private final HubInstance hub;
    private final SandboxDevice device;
    private final HttpClient http;
    private String cookie;

    SignupDevice(HubInstance hub, DeviceCredentials credentials) {
        this.hub = hub;
        this.device = new SandboxDevice(credentials);
        this.http = HttpClient.newBuilder().sslContext(tls(hub)).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    SandboxDevice device() {
        return device;
    }

    String cookie() {
        return cookie;
    }

    void useCookie(String value) {
        cookie = value;
    }

    String challenge() {
        HttpResponse<String> response = send(request("/signup/v1/challenge").GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("challenge answered " + response.statusCode());
        }
        Matcher nonce = Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(response.body());
        if (!nonce.find()) {
            throw new IllegalStateException("no nonce in " + response.body());
        }
        return nonce.group(1);
    }

    /** Challenge → signed challenge → session; keeps the cookie when the hub gave one. */
    HttpResponse<String> signIn() {
        return postSession(device.signChallenge(challenge()));
    }

    HttpResponse<String> postSession(String jws) {
        HttpResponse<String> response = send(request("/signup/v1/session").header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(jws)).build());
        response.headers().firstValue("Set-Cookie").ifPresent(setCookie -> cookie = setCookie.split(";", 2)[0]);
        return response;
    }

    HttpResponse<String> page() {
        return send(withCookie(request("/signup")).GET().build());
    }

    /** The form as a browser sends it (csrf taken from the page the device got). */
    HttpResponse<String> submit(Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(withCookie(request("/signup")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF field on the page");
        }
        return m.group(1);
    }

    HttpResponse<String> profile() {
        return send(withCookie(request("/signup/v1/profile")).GET().build());
    }

    /** Polls the profile until it is no longer 202 (in progress). */
    HttpResponse<String> awaitProfile(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = profile();
        while (response.statusCode() == 202 && System.nanoTime() < end) {
            Thread.sleep(250);
            response = profile();
        }
        return response;
    }

    HttpResponse<String> confirm() {
        return send(withCookie(request("/signup/v1/profile/confirm")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> get(String path) {
        return send(withCookie(request(path)).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + hub.httpsPort() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpRequest.Builder withCookie(HttpRequest.Builder request) {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SSLContext tls(HubInstance hub) {
        try (InputStream in = Files.newInputStream(Path.of(hub.property("server.ssl.key-store")))) {
            KeyStore source = KeyStore.getInstance("PKCS12");
            source.load(in, hub.property("server.ssl.key-store-password").toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("hub", source.getCertificate(hub.property("server.ssl.key-alias")));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
