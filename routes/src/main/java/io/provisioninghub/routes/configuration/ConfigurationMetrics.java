package io.provisioninghub.routes.configuration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration flow's metrics (docs/observability.md): {@code hub.configuration.requests}, the RCC.14 answers of
 * this replica by flow and outcome, and {@code hub.otp.challenges}, what became of the OTP challenges. Every label
 * value is one of the fixed names below; all of them are registered up front, so each series shows 0 until it counts.
 */
@Component
class ConfigurationMetrics {

    static final String FIRST_REQUEST = "first_request";
    static final String CELLULAR = "cellular";
    static final String NON_CELLULAR = "non_cellular";

    /** A challenge created: its OTP sent by SMS (§2.3.2, §2.5.1) or handed out of band (§2.6). */
    static final String ISSUED = "issued";
    static final String VERIFIED = "verified";
    /** A wrong OTP (every one, the last try included). */
    static final String FAILED = "failed";
    /** The wrong try that used up the challenge's last attempt (hub.otp.max-attempts): it is dead from now on. */
    static final String LOCKED = "locked";

    private static final List<String> FLOWS = List.of(FIRST_REQUEST, CELLULAR, NON_CELLULAR);
    private static final List<String> OUTCOMES = List.of("served", "refused", "unidentified", "unavailable", "failed");
    private static final List<String> OTP_EVENTS = List.of(ISSUED, VERIFIED, FAILED, LOCKED);

    private final Map<String, Counter> requests = new HashMap<>();
    private final Map<String, Counter> challenges = new HashMap<>();

    ConfigurationMetrics(MeterRegistry registry) {
        for (String flow : FLOWS) {
            for (String outcome : OUTCOMES) {
                requests.put(flow + '|' + outcome, Counter.builder("hub.configuration.requests")
                        .description("RCC.14 configuration requests answered by this replica")
                        .tag("flow", flow)
                        .tag("outcome", outcome)
                        .register(registry));
            }
        }
        for (String event : OTP_EVENTS) {
            challenges.put(event, Counter.builder("hub.otp.challenges")
                    .description("OTP challenges of this replica by event")
                    .tag("event", event)
                    .register(registry));
        }
    }

    /** The flow of a request as {@link DeviceConfigurationRoute} routes it. */
    static String flow(boolean secure, boolean tokenOrOtp) {
        return !secure ? FIRST_REQUEST : tokenOrOtp ? NON_CELLULAR : CELLULAR;
    }

    /** Counts one answer of {@link DeviceConfigurationRoute} (whose only success is a 200). */
    void answered(String flow, int status) {
        String outcome = status == 511 ? "unidentified"
                : status == 503 ? "unavailable"
                : status >= 500 ? "failed"
                : status >= 400 ? "refused"
                : "served";
        requests.get(flow + '|' + outcome).increment();
    }

    void otp(String event) {
        challenges.get(event).increment();
    }
}
