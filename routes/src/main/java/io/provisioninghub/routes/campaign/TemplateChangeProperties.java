package io.provisioninghub.routes.campaign;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.reconfiguration.template-change.*} (RECONF-2): at start-up a replica compares each service's template
 * fingerprint with the last one recorded; on a change every served subscriber is marked for the full document and
 * a reconfiguration campaign sends them the §3 trigger at this rate. The very first start records and triggers
 * nothing.
 *
 * @param enabled          start the campaign (the marks and the recorded fingerprints are kept up to date anyway)
 * @param smsRatePerSecond the campaign's SMS rate; capped at {@code hub.sms.rate-per-second}
 */
@Validated
@ConfigurationProperties(prefix = "hub.reconfiguration.template-change")
public record TemplateChangeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") @Min(1) int smsRatePerSecond) {
}
