package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.hlr.HlrClient;
import org.springframework.stereotype.Service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What customer care may do to a subscriber's configuration (OPS-4), used by the operator API. */
@Service
public class CustomerCare {

    private final HlrClient hlr;
    private final ConfigurationVersions versions;
    private final AccessTokens tokens;
    private final OtpChallenges challenges;
    private final OtpProperties otp;
    private final ReconfigurationTriggers triggers;

    CustomerCare(HlrClient hlr, ConfigurationVersions versions, AccessTokens tokens, OtpChallenges challenges,
                 OtpProperties otp, ReconfigurationTriggers triggers) {
        this.triggers = triggers;
        this.hlr = hlr;
        this.versions = versions;
        this.tokens = tokens;
        this.challenges = challenges;
        this.otp = otp;
    }

    /**
     * RCC.14 §3: "the configuration server needs to enforce a first time configuration or a client reconfiguration
     * at any given time": the next check gets the full document, and a trigger SMS asks the client to check now.
     *
     * @return the trigger SMS's reference; empty when the HLR does not know the IMSI
     * @throws IllegalStateException when the subscriber has no MSISDN to send the trigger to
     */
    public Optional<java.util.UUID> triggerReconfiguration(String imsi) {
        ReconfigurationTriggers.Triggered triggered = triggers.trigger(imsi);
        return switch (triggered.result()) {
            case UNKNOWN_SUBSCRIBER -> Optional.empty();
            case NO_MSISDN -> throw new IllegalStateException("the subscriber has no MSISDN to send the trigger to");
            case TRIGGERED -> Optional.of(triggered.smsReference());
        };
    }

    /**
     * {@link #triggerReconfiguration} for many subscribers already looked up in the HLR, each with an MSISDN (bulk
     * work: the rotation intake's batches). One statement for the resend marks, one for the SMS rows, one JMS commit.
     *
     * @param traceParents the W3C traceparent of each IMSI's work (its rotation's trace), which its SMS continues
     * @param lookups      where the per-subscriber billing lookups (for the trigger text) run, in parallel
     * @return the trigger SMS's reference per IMSI
     */
    public Map<String, java.util.UUID> triggerReconfigurations(List<io.provisioninghub.connectors.hlr.HlrSubscriber> subscribers,
                                                               Map<String, String> traceParents,
                                                               java.util.concurrent.Executor lookups) {
        return triggers.triggerAll(subscribers, traceParents, lookups);
    }

    /**
     * {@link #revokeTokens} for many subscribers already looked up in the HLR, in one statement.
     *
     * @return tokens revoked per IMSI (absent: none was valid)
     */
    public Map<String, Integer> revokeTokensOf(java.util.Collection<String> imsis) {
        return tokens.revokeAllOf(imsis);
    }

    /** An OTP handed to the operator for out-of-band delivery (§2.6 step 1). Printable, so never logged. */
    public record OutOfBandOtp(String otp, java.time.Instant expiresAt) {
        @Override
        public String toString() {
            return "OutOfBandOtp[redacted]";
        }
    }

    /**
     * RCC.14 §2.6 step 1: "the user obtains an OTP through means out of the scope of this specification (e.g. from an
     * operator website after authentication ...)". The operator's portal calls this and shows the OTP to the user.
     *
     * @param msisdn E.164 with '+'
     * @return empty when the HLR does not know the identity
     * @throws IllegalStateException when the operator disabled §2.6
     */
    public Optional<OutOfBandOtp> issueDedicatedIdentityOtp(String msisdn) {
        if (!otp.dedicatedIdentities()) {
            throw new IllegalStateException("devices with a dedicated identity are not offered (hub.otp.dedicated-identities)");
        }
        return hlr.findByMsisdn(msisdn).map(subscriber -> {
            OtpChallenges.Issued issued = challenges.issueOutOfBand(new SubscriberIdentity(subscriber.msisdn(), subscriber.imsi()));
            return new OutOfBandOtp(issued.otp(), issued.expiresAt());
        });
    }

    /**
     * Revokes every token of the subscriber: each device must identify itself again (§2.3.4: invalid token → 511).
     *
     * @return the number revoked, or empty when the HLR does not know the IMSI
     */
    public Optional<Integer> revokeTokens(String imsi) {
        return hlr.findByImsi(imsi).map(s -> tokens.revokeAll(imsi));
    }

    /**
     * §2.3.2 case 3: the tokens keep identifying the subscriber but no longer privilege a configuration; the devices
     * go through the OTP again.
     */
    public Optional<Integer> requireOtp(String imsi) {
        return hlr.findByImsi(imsi).map(s -> tokens.demoteAll(imsi));
    }

    /**
     * RCC.14 §2.2.4 case 3: "the user has requested a reconfiguration through their Service Provider's Customer
     * Care" — the next check gets the full document.
     *
     * @return false when the HLR does not know the IMSI
     */
    public boolean markForResend(String imsi) {
        if (hlr.findByImsi(imsi).isEmpty()) {
            return false;
        }
        versions.markForResend(imsi);
        return true;
    }

    /** True when the HLR knows the IMSI. */
    public boolean knows(String imsi) {
        return hlr.findByImsi(imsi).isPresent();
    }

    /** The configuration state of a subscriber, or empty when the HLR does not know the IMSI. */
    public Optional<Map<String, Object>> configurationState(String imsi) {
        if (hlr.findByImsi(imsi).isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> rows = versions.stateOf(imsi);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("imsi", imsi);
        if (rows.isEmpty()) {
            state.put("lastVersion", 0);
            state.put("resendRequested", false);
            state.put("lastServedAt", null);
        } else {
            Map<String, Object> row = rows.get(0);
            state.put("lastVersion", row.get("last_version"));
            state.put("resendRequested", row.get("resend_requested"));
            Object served = row.get("last_served_at");
            state.put("lastServedAt", served == null ? null : served.toString());
        }
        return Optional.of(state);
    }
}
