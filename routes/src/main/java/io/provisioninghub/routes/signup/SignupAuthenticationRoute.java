package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityRefusedException;
import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Step 1 of headed sign-up (SIGNUP-1/2): the device proves its identity with a signed challenge and gets a limited
 * session. {@code GET /signup/v1/challenge} → {"nonce", "expiresAt"}; {@code POST /signup/v1/session} with the compact
 * JWS ({@code application/jose}, {@code x5c} = device certificate + intermediates) → 201 + Set-Cookie. A refused
 * certificate gets 403 with the refusal's reason and its message (expired, self-signed, untrusted CA, revoked …); a
 * bad signature or a stale, unknown or used challenge 401; a malformed JWS 400. HTTPS only.
 */
@Component
class SignupAuthenticationRoute extends RouteBuilder {

    static final String CHALLENGE_ROUTE = "signup-challenge";
    static final String SESSION_ROUTE = "signup-session";
    private static final int MAX_BODY_CHARS = 32 * 1024;

    private final SignupSessions sessions;
    private final ResponseMetrics metrics;
    private final ObjectMapper json;

    SignupAuthenticationRoute(SignupSessions sessions, ResponseMetrics metrics, ObjectMapper json) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/signup/v1/challenge?httpMethodRestrict=GET")
                .routeId(CHALLENGE_ROUTE)
                .routeGroup("signup")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> {
                    requireHttps(exchange);
                    SignupSessions.Issued nonce = sessions.issueNonce();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("nonce", nonce.value());
                    body.put("expiresAt", nonce.expiresAt().toString());
                    metrics.record(CHALLENGE_ROUTE, 200, "challenge");
                    HttpResponses.write(exchange, HubResponse.of(200, "application/json", toJson(body)));
                });

        from("platform-http:/signup/v1/session?httpMethodRestrict=POST")
                .routeId(SESSION_ROUTE)
                .routeGroup("signup")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> {
                    String jws = readJws(exchange);
                    SignupSessions.Session session;
                    try {
                        session = sessions.open(jws);
                    } catch (DeviceIdentityRefusedException refused) {
                        int status = statusOf(refused);
                        metrics.record(SESSION_ROUTE, status, "refused: " + refused.reason());
                        HttpResponses.write(exchange, HubResponse.of(status, "application/json",
                                error(refused.reason().name(), refused.getMessage())));
                        return;
                    } catch (SignupSessions.ChallengeRefused refused) {
                        metrics.record(SESSION_ROUTE, 401, "challenge refused");
                        HttpResponses.write(exchange, HubResponse.of(401, "application/json",
                                error("BAD_CHALLENGE", refused.getMessage())));
                        return;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("expiresAt", session.expiresAt().toString());
                    body.put("signupPage", "/signup");
                    metrics.record(SESSION_ROUTE, 201, "session");
                    HttpResponses.write(exchange, HubResponse.of(201, "application/json", toJson(body))
                            .withHeader("Set-Cookie", sessions.setCookie(session)));
                });
    }

    /** RefusalReason's suggested answers (docs/device-identity.md): the form 400, the signature/time 401, else 403. */
    static int statusOf(DeviceIdentityRefusedException refused) {
        switch (refused.reason()) {
            case MALFORMED:
                return 400;
            case BAD_SIGNATURE:
            case STALE_CHALLENGE:
                return 401;
            default:
                return 403;
        }
    }

    static void requireHttps(Exchange exchange) {
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        if (http == null || !http.getRequest().isSecure()) {
            throw new RequestRejected(HubResponse.text(403, "Sign-up is offered over HTTPS only."), "sign-up over HTTP");
        }
    }

    private String readJws(Exchange exchange) {
        requireHttps(exchange);
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        String type = http.getRequest().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/jose")) {
            throw new RequestRejected(HubResponse.of(415, "application/json",
                    error("MALFORMED", "Content-Type must be application/jose (a compact JWS)")), "session media type");
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank() || body.length() > MAX_BODY_CHARS) {
            throw new RequestRejected(HubResponse.of(400, "application/json",
                    error("MALFORMED", "the body must be one compact JWS of at most " + MAX_BODY_CHARS + " characters")),
                    "session body");
        }
        return body.trim();
    }

    private byte[] error(String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        body.put("message", message);
        return toJson(body);
    }

    private byte[] toJson(Map<String, Object> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
