package io.provisioninghub.routes.campaign;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.rotation.refresh.*}: the periodic credential refresh (issue 4: "a policy that starts rotation for
 * credentials older than N days"). One replica (the campaign leader) starts a rotation campaign over the
 * credentials older than {@code max-credential-age}, at most once per {@code check-interval}, and never while the
 * previous refresh campaign is still open (fanning out, running or paused).
 *
 * @param enabled           off by default: rotating a fleet is the operator's decision
 * @param maxCredentialAge  credentials last set longer ago than this are rotated (whole days; at least 1 day)
 * @param checkInterval     least time between two refresh campaigns
 * @param smsRatePerSecond  the refresh campaign's SMS rate; capped at {@code hub.sms.rate-per-second}
 * @param reason            the rotation reason recorded and published ({@code due})
 */
@Validated
@ConfigurationProperties(prefix = "hub.rotation.refresh")
public record RotationRefreshProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("365d") Duration maxCredentialAge,
        @DefaultValue("24h") Duration checkInterval,
        @DefaultValue("10") @Min(1) int smsRatePerSecond,
        @DefaultValue("due") String reason) {

    int maxCredentialAgeDays() {
        return (int) Math.max(1, maxCredentialAge.toDays());
    }
}
