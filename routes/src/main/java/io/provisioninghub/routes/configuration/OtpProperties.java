package io.provisioninghub.routes.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.otp.*}: the OTP flows of RCC.14 §2.3 (primary devices over non-3GPP access), §2.5 (additional devices)
 * and §2.6 (devices with a dedicated identity), and their abuse limits (OTP-7).
 *
 * @param primaryDevices     §2.3.2 "the network allows configuring of devices using this mechanism"; false → 403
 * @param additionalDevices  §2.5.1 step 4, same for additional devices
 * @param dedicatedIdentities §2.6 step 4, same for devices with a dedicated identity
 * @param length             OTP digits, 6–8 (Tables 13/14 allow at most 8 characters)
 * @param validity           how long an OTP may be used (at most 10 minutes, OTP-7)
 * @param maxAttempts        wrong OTPs tolerated per challenge (at most 5, OTP-7); the challenge then dies
 * @param smsPortZeroPolicy  §2.3.3/§2.3.5: always send the OTP as a user-visible SMS, announced by the Table 11
 *                           POLICY document
 * @param zeroPolicySmsDelay §2.3.3 NOTE: time between the POLICY answer and its SMS
 * @param defaultSmsPort     §2.3.3: the port when the client sent no SMS_port (37273)
 * @param limits             SMS per MSISDN and per client address
 * <p>
 * {@code hub.otp.hash-key}, the HMAC key of the stored OTP hashes, is read by
 * {@link io.provisioninghub.routes.common.HubSecretKey}, which derives the hub's other keys from it too.
 */
@Validated
@ConfigurationProperties(prefix = "hub.otp")
public record OtpProperties(
        @DefaultValue("true") boolean primaryDevices,
        @DefaultValue("true") boolean additionalDevices,
        @DefaultValue("true") boolean dedicatedIdentities,
        @DefaultValue("6") @Min(6) @Max(8) int length,
        @DefaultValue("10m") Duration validity,
        @DefaultValue("5") @Min(1) @Max(5) int maxAttempts,
        @DefaultValue("false") boolean smsPortZeroPolicy,
        @DefaultValue("2s") Duration zeroPolicySmsDelay,
        @DefaultValue("37273") @Min(1) @Max(65535) int defaultSmsPort,
        @DefaultValue @Valid Limits limits) {

    public OtpProperties {
        if (validity.compareTo(Duration.ofMinutes(10)) > 0 || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("hub.otp.validity must be positive and at most 10 minutes (OTP-7)");
        }
    }

    /**
     * SMS allowed per subject and window; over any of them the request gets 503 + Retry-After and no SMS.
     * The client address is the TCP peer (X-Forwarded-For is not trusted, see server.forward-headers-strategy).
     */
    public record Limits(
            @DefaultValue("1") @Min(1) int perMsisdnPerMinute,
            @DefaultValue("10") @Min(1) int perMsisdnPerDay,
            @DefaultValue("10") @Min(1) int perClientPerMinute,
            @DefaultValue("200") @Min(1) int perClientPerDay) {
    }

    @Override
    public String toString() {
        return "OtpProperties[length=" + length + ", validity=" + validity + "]";
    }
}
