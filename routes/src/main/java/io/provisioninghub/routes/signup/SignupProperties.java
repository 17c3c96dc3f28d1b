package io.provisioninghub.routes.signup;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.signup.*}: headed sign-up (SIGNUP-2, docs/flows/signup.md).
 *
 * @param nonceValidity          how long a challenge from {@code GET /signup/v1/challenge} may be signed and sent back
 * @param sessionValidity        how long the limited session (cookie) lasts: long enough to fill in the form and
 *                               download the profile
 * @param maxAttempts            saga attempts of a step that failed transiently (HLR, billing or database unreachable)
 *                               before the sign-up is compensated and fails
 * @param retryDelay             wait before the first retry of a step; doubled for each further attempt
 * @param leaseDuration          how long one replica owns a sign-up while it runs a saga step (another replica takes it
 *                               over after this, e.g. when the first one died)
 * @param checkInterval          how often a replica looks for sign-ups to resume (retries, a restart) and activation
 *                               events to publish
 * @param eventsTopic            Kafka topic of sign-up events (activation), keyed by IMSI
 * @param configurationServerUrl the configuration server address written into the profile; unset: derived from the
 *                               home network ({@code https://config.rcs.mnc<MNC>.mcc<MCC>.pub.3gppnetwork.org})
 * @param profileRetryAfter      Retry-After of {@code GET /signup/v1/profile} while the saga runs
 * @param sagaConcurrency        sign-ups (and bindings) a replica runs at the same time: each mostly waits on the HLR
 *                               and billing, so more than the cores
 * @param bulk                   the operator's bulk binding of headless devices (SIGNUP-3, docs/flows/headless.md)
 */
@Validated
@ConfigurationProperties(prefix = "hub.signup")
public record SignupProperties(
        @DefaultValue("5m") Duration nonceValidity,
        @DefaultValue("30m") Duration sessionValidity,
        @DefaultValue("4") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("2s") Duration retryDelay,
        @DefaultValue("60s") Duration leaseDuration,
        @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("hub.signup.events") String eventsTopic,
        String configurationServerUrl,
        @DefaultValue("2s") Duration profileRetryAfter,
        @DefaultValue("8") @Min(1) @Max(64) int sagaConcurrency,
        @DefaultValue @Valid Bulk bulk) {

    /**
     * {@code hub.signup.bulk.*}.
     *
     * @param maxRows     rows per {@code POST /operator/v1/device-bindings} request (a larger batch gets 400: split it)
     * @param provisionAt when a bound device's subscription is created: at its {@code first-access} (seed 001: "remote
     *                    provisioning takes place at the first access attempt"; no numbers or billing for devices
     *                    still in a warehouse), or at {@code binding} time (the device finds its profile ready)
     */
    public record Bulk(@DefaultValue("20000") @Min(1) @Max(1_000_000) int maxRows,
                       @DefaultValue("first-access") ProvisionAt provisionAt) {
    }

    /** When a bulk-bound device's subscription is created. */
    public enum ProvisionAt {
        FIRST_ACCESS, BINDING
    }
}
