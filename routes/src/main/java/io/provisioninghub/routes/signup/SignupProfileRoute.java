package io.provisioninghub.routes.signup;

import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Step 4 of headed sign-up (SIGNUP-2): the device downloads its encrypted profile and confirms it installed it.
 * {@code GET /signup/v1/profile}: 200 {@code application/jose} (the compact JWE) once the saga is done; 202 +
 * Retry-After while it runs; 404 before the device signed up; 409 when the sign-up failed (compensated: the user can
 * sign up again). {@code POST /signup/v1/profile/confirm}: 200 and the sign-up is active (an activation event goes
 * out on Kafka, {@link SignupEvents}); again: 200; 409 before the profile is ready or after a failure. Both need the
 * device's limited session (401 without).
 * <p>
 * A headless device (SIGNUP-3) uses the same two calls after its signed challenge: its first {@code GET} starts the
 * provisioning of the binding the operator made for it ({@code bound → requested}), then 202 until the profile is
 * ready. A binding moved to another subscription or released to another operator (SIGNUP-4) answers 410 until the
 * device has a new one.
 */
@Component
class SignupProfileRoute extends RouteBuilder {

    static final String PROFILE_ROUTE = "signup-profile";
    static final String CONFIRM_ROUTE = "signup-profile-confirm";

    private final SignupSessions sessions;
    private final Signups signups;
    private final SignupProperties properties;
    private final ResponseMetrics metrics;
    private final ProducerTemplate producer;

    SignupProfileRoute(SignupSessions sessions, Signups signups, SignupProperties properties, ResponseMetrics metrics,
                       ProducerTemplate producer) {
        this.producer = producer;
        this.sessions = sessions;
        this.signups = signups;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:/signup/v1/profile?httpMethodRestrict=GET")
                .routeId(PROFILE_ROUTE)
                .routeGroup("signup")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> answer(exchange, PROFILE_ROUTE, profile(exchange)));

        from("platform-http:/signup/v1/profile/confirm?httpMethodRestrict=POST")
                .routeId(CONFIRM_ROUTE)
                .routeGroup("signup")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> answer(exchange, CONFIRM_ROUTE, confirm(exchange)));
    }

    private void answer(Exchange exchange, String route, HubResponse response) {
        metrics.record(route, response.status(), route);
        HttpResponses.write(exchange, response);
    }

    private HubResponse profile(Exchange exchange) {
        SignupAuthenticationRoute.requireHttps(exchange);
        SignupSessions.Session session = SignupPageRoute.session(exchange, sessions);
        Signups.Signup signup = signups.current(session).orElse(null);
        if (signup == null) {
            return json(404, "not-signed-up", "this device has not signed up yet: open /signup");
        }
        if (signup.released()) {
            return json(410, "released", "this device's subscription was released by the operator: it can be "
                    + "signed up again at /signup");
        }
        if (Signups.BOUND.equals(signup.state())) {
            // First access of a device the operator bound ahead of time (SIGNUP-3, seed 001): provisioning starts now.
            // The row is the saga's durable state: a lost hand-over is picked up by the saga's recovery.
            if (signups.startBound(signup.id())) {
                producer.asyncSendBody(SignupSaga.ENDPOINT, signup.id().toString());
            }
            return inProgress();
        }
        if (signup.inProgress()) {
            return inProgress();
        }
        if (Signups.FAILED.equals(signup.state())) {
            return json(409, "failed", "the sign-up failed and was undone (" + signup.failureReason()
                    + "): sign up again at /signup");
        }
        return HubResponse.of(200, "application/jose", signup.profileJwe().getBytes(StandardCharsets.US_ASCII));
    }

    private HubResponse inProgress() {
        return json(202, "in-progress", "the subscription is being set up: ask again after Retry-After seconds")
                .withHeader("Retry-After", Long.toString(Math.max(1, properties.profileRetryAfter().toSeconds())));
    }

    private HubResponse confirm(Exchange exchange) {
        SignupAuthenticationRoute.requireHttps(exchange);
        SignupSessions.Session session = SignupPageRoute.session(exchange, sessions);
        Signups.Signup signup = signups.current(session).orElse(null);
        if (signup == null) {
            return json(404, "not-signed-up", "this device has not signed up yet: open /signup");
        }
        if (signup.released()) {
            return json(410, "released", "this device's subscription was released by the operator");
        }
        if (!Signups.READY.equals(signup.state()) && !Signups.ACTIVE.equals(signup.state())) {
            return json(409, signup.state(), signup.inProgress()
                    ? "the profile is not ready yet: download it first"
                    : "the sign-up failed and was undone: sign up again at /signup");
        }
        signups.activate(signup.id());
        return json(200, "active", "the subscription is active");
    }

    private static HubResponse json(int status, String state, String message) {
        // Fixed texts and a state name: nothing to escape beyond what the texts hold (no quotes).
        return HubResponse.of(status, "application/json", ("{\"state\":\"" + state + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
