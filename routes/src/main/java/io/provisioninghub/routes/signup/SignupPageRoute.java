package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Step 2 of headed sign-up (SIGNUP-2): the sign-up page, for a device with a limited session only.
 * {@code GET /signup}: the plans from billing and the form (or, once the device signed up, where its sign-up stands).
 * {@code POST /signup}: a form with problems comes back as <b>400</b> with the page and a message per field (the
 * status tells a client the submit did nothing; a browser shows the page all the same); a good form starts the saga
 * ({@link SignupSaga}) and answers 202 with the "being set up" page. Without a valid session: 401 with a page that
 * says so. A form whose CSRF token does not match the session: 403.
 */
@Component
class SignupPageRoute extends RouteBuilder {

    static final String ROUTE_ID = "signup-page";
    private static final String HTML = "text/html;charset=UTF-8";
    private static final int MAX_FORM_CHARS = 8 * 1024;

    private final SignupSessions sessions;
    private final Signups signups;
    private final BillingOrders billing;
    private final ResponseMetrics metrics;
    private final ProducerTemplate producer;

    SignupPageRoute(SignupSessions sessions, Signups signups, BillingOrders billing, ResponseMetrics metrics,
                    ProducerTemplate producer) {
        this.sessions = sessions;
        this.signups = signups;
        this.billing = billing;
        this.metrics = metrics;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from("platform-http:/signup?httpMethodRestrict=GET,POST")
                .routeId(ROUTE_ID)
                .routeGroup("signup")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> {
                    SignupAuthenticationRoute.requireHttps(exchange);
                    SignupSessions.Session session = session(exchange, sessions);
                    String method = exchange.getIn(PlatformHttpMessage.class).getRequest().getMethod();
                    HubResponse response = "POST".equals(method) ? submit(exchange, session) : show(session);
                    metrics.record(ROUTE_ID, response.status(), method);
                    HttpResponses.write(exchange, response);
                });
    }

    private HubResponse show(SignupSessions.Session session) {
        Signups.Signup current = signups.current(session).orElse(null);
        if (current != null && !current.over()) {
            return page(200, SignupPages.status(current));
        }
        return page(200, SignupPages.form(billing.plans(), SignupSessions.csrfToken(session), Map.of(), Map.of()));
    }

    private HubResponse submit(Exchange exchange, SignupSessions.Session session) {
        Map<String, String> values = form(exchange);
        if (!SignupSessions.csrfMatches(session, values.get("csrf"))) {
            return page(403, SignupPages.message("This form has expired",
                    "Please open the sign-up page again and send the form from there."));
        }
        List<Plan> plans = billing.plans();
        SignupForm form = SignupForm.of(values);
        Map<String, String> problems = form.problems(plans);
        if (!problems.isEmpty()) {
            return page(400, SignupPages.form(plans, SignupSessions.csrfToken(session), values, problems));
        }
        Signups.Submitted submitted = signups.submit(session, form.plan(), form.name(), form.email());
        if (submitted.signup() == null) {
            return page(409, SignupPages.message("This band is already registered",
                    "Your operator has this band on record with another certificate. Please contact your operator."));
        }
        if (submitted.created()) {
            // The row is the saga's durable state: if this hand-over is lost (a restart), SignupSaga's recovery
            // picks the sign-up up from the table.
            producer.asyncSendBody(SignupSaga.ENDPOINT, submitted.signup().id().toString());
        }
        return page(202, SignupPages.status(submitted.signup()));
    }

    /** The session the request's cookie names, or 401 with a page that says how to get one. */
    static SignupSessions.Session session(Exchange exchange, SignupSessions sessions) {
        String cookies = exchange.getIn(PlatformHttpMessage.class).getRequest().getHeader("Cookie");
        return sessions.fromCookieHeader(cookies).orElseThrow(() -> new RequestRejected(
                HubResponse.of(401, HTML, SignupPages.message("Your band is not signed in",
                        "Sign-up works from the band itself. Restart the sign-up on your band.")
                        .getBytes(StandardCharsets.UTF_8)), "no sign-up session"));
    }

    /** The form body (application/x-www-form-urlencoded), as platform-http hands it over: a Map or the raw text. */
    private static Map<String, String> form(Exchange exchange) {
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        String type = http.getRequest().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new RequestRejected(HubResponse.text(415, "The sign-up form is sent as application/x-www-form-urlencoded."),
                    "sign-up form media type");
        }
        if (http.getRequest().getContentLengthLong() > MAX_FORM_CHARS) {
            throw new RequestRejected(HubResponse.text(413, "The form is too large."), "sign-up form too large");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map) {
            // platform-http has read the form: the Map names the fields, the headers hold their decoded values
            // (the Map's own values are still percent-encoded). The page has no query parameters to mix in.
            for (Object key : map.keySet()) {
                Object header = exchange.getMessage().getHeader(String.valueOf(key));
                values.put(String.valueOf(key), header == null ? "" : first(header));
            }
        } else {
            String text = exchange.getMessage().getBody(String.class);
            if (text != null && text.length() > MAX_FORM_CHARS) {
                throw new RequestRejected(HubResponse.text(413, "The form is too large."), "sign-up form too large");
            }
            if (text != null && !text.isEmpty()) {
                for (String pair : text.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    values.putIfAbsent(name, value);
                }
            }
        }
        return values;
    }

    private static String first(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "" : String.valueOf(list.get(0));
        }
        return String.valueOf(value);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(HubResponse.text(400, "The form is not correctly encoded."), "sign-up form encoding");
        }
    }

    private static HubResponse page(int status, String html) {
        return HubResponse.of(status, HTML, html.getBytes(StandardCharsets.UTF_8));
    }
}
