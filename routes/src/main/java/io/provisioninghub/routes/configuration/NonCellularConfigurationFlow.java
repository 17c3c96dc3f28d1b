package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.hlr.HlrClient;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.sms.SmsOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTPS configuration requests that identify the user by token and OTP instead of the network (OTP-1 … OTP-7):
 * <ul>
 *   <li>RCC.14 §2.3.2, Table 9: a primary device over non-3GPP access (IMSI and/or msisdn, token, SMS_port);</li>
 *   <li>Table 10: the second request with the OTP and the cookie (§2.3.2 1c, §2.5.1 4c, Table 13);</li>
 *   <li>§2.5.1, Table 12: an additional device sharing the primary's identity (device_type, no SMS_port);</li>
 *   <li>§2.6, Table 14: a device with a dedicated identity, whose OTP was issued out of band (operator API).</li>
 * </ul>
 * Sequence diagrams: docs/flows/otp.md. Once the user is identified the answer is the one of §2.2.2/§2.2.3
 * ({@link DeviceConfigurationFlow#configuration}).
 */
@Component
class NonCellularConfigurationFlow {

    private static final Logger LOG = LoggerFactory.getLogger(NonCellularConfigurationFlow.class);
    /** A SIP URI or tel URI whose user part is an E.164 number (Tables 12/14 sip_uri). */
    private static final Pattern E164_URI = Pattern.compile("(?i)(?:sips?:|tel:)(\\+[0-9]{6,15})(?:[@;].*)?");

    private final RequestRules rules;
    private final ConfigurationSessions sessions;
    private final AccessTokens tokens;
    private final OtpChallenges challenges;
    private final SmsAbuseLimits limits;
    private final SmsOutbox outbox;
    private final HlrClient hlr;
    private final SubscriberPolicy subscriberPolicy;
    private final DeviceRegistrations devices;
    private final UserMessages messages;
    private final ProvisioningDocuments documents;
    private final DeviceConfigurationFlow configuration;
    private final OtpProperties otp;
    private final io.provisioninghub.connectors.billing.BillingClient billing;
    private final ConfigurationMetrics metrics;

    NonCellularConfigurationFlow(RequestRules rules, ConfigurationSessions sessions, AccessTokens tokens,
                                 OtpChallenges challenges, SmsAbuseLimits limits, SmsOutbox outbox, HlrClient hlr,
                                 SubscriberPolicy subscriberPolicy, DeviceRegistrations devices, UserMessages messages,
                                 ProvisioningDocuments documents, DeviceConfigurationFlow configuration,
                                 OtpProperties otp, io.provisioninghub.connectors.billing.BillingClient billing,
                                 ConfigurationMetrics metrics) {
        this.metrics = metrics;
        this.rules = rules;
        this.sessions = sessions;
        this.tokens = tokens;
        this.challenges = challenges;
        this.limits = limits;
        this.outbox = outbox;
        this.hlr = hlr;
        this.subscriberPolicy = subscriberPolicy;
        this.devices = devices;
        this.messages = messages;
        this.documents = documents;
        this.configuration = configuration;
        this.otp = otp;
        this.billing = billing;
    }

    /** True when the HTTPS request is one of Tables 9, 10, 12, 13, 14 rather than Table 1's (§2.2.1). */
    static boolean applies(String rawQuery, String formBody) {
        return formBody != null || hasParameter(rawQuery, "token") || hasParameter(rawQuery, "OTP")
                || hasParameter(rawQuery, "otp") || hasParameter(rawQuery, "device_type");
    }

    HubResponse handle(DeviceRequest request) {
        QueryParameters query = rules.parse(request.rawQuery());
        String oneTimePassword = oneTimePassword(query, request.formBody());
        boolean deviceType = query.has("device_type");
        // Table 14 carries device_type, token and OTP in one request; Table 13 (the OTP after Table 12) carries the OTP
        // with the cookie only.
        if (oneTimePassword != null && deviceType && query.has("token")) {
            return dedicatedIdentity(request, oneTimePassword);
        }
        if (oneTimePassword != null) {
            return secondRequest(request, oneTimePassword);
        }
        return deviceType ? additionalDevice(request) : primaryDevice(request);
    }

    /**
     * The OTP of Tables 10, 13 and 14: {@code OTP} (or {@code otp}) in the query or in a POST form body (which keeps
     * it out of proxies' query-string logs). More than one is ambiguous → 403.
     */
    private String oneTimePassword(QueryParameters query, String formBody) {
        QueryParameters form = formBody == null ? null : rules.parse(formBody);
        String found = null;
        int count = 0;
        for (QueryParameters params : new QueryParameters[] {query, form}) {
            if (params == null) {
                continue;
            }
            for (String name : new String[] {"OTP", "otp"}) {
                if (params.has(name)) {
                    count++;
                    found = params.get(name);
                }
            }
        }
        if (count > 1) {
            throw RequestRejected.forbidden("OTP parameter repeated");
        }
        if (found != null && found.length() > 8) {
            throw RequestRejected.forbidden("OTP too long"); // Tables 13/14: 8 characters at most
        }
        return found;
    }

    // ---------------------------------------------------------------------------------------------------------
    // §2.3.2, Table 9: primary device over non-3GPP access

    private HubResponse primaryDevice(DeviceRequest request) {
        if (!otp.primaryDevices()) {
            throw RequestRejected.forbidden("configuration over non-3GPP access is not offered");
        }
        RequestRules.Checked checked = rules.validate(request.rawQuery(), RequestRules.Table.NON_CELLULAR);
        QueryParameters params = checked.parameters();
        int smsPort = smsPort(params.get("SMS_port"));
        String imsi = checked.request().imsi();
        String msisdnParameter = e164(params.get("msisdn"));
        String msisdn = msisdnParameter;
        String token = params.get("token");
        if (!token.isEmpty()) {
            AccessTokens.Token found = tokens.find(token)
                    .filter(t -> matches(t.identity(), imsi, msisdnParameter))
                    .orElseThrow(NonCellularConfigurationFlow::invalidToken);
            if (found.privileged()) {
                // §2.3.2 case 2: identified by the token; from here as §2.2.2.
                HlrSubscriber subscriber = subscriberOf(found.identity());
                return configuration.configuration(request, subscriber, checked.request().vers(), null,
                        new DeviceConfigurationFlow.TokenGrant("primary", null, null));
            }
            // §2.3.2 case 3: the token identifies the user but does not privilege a configuration: as case 1.
            LOG.debug("Token without privilege: OTP again");
        }
        if (msisdn == null && imsi == null) {
            // §2.3.2: "the request is caused by a previous configuration response containing a cookie" — the 511
            // session may hold the MSISDN the gateway asserted (security-enhanced mode, §2.2.5).
            msisdn = sessions.find(request.cookie()).map(s -> s.identity().msisdn()).orElse(null);
        }
        HlrSubscriber subscriber = resolvePrimary(imsi, msisdn);
        // §2.3.4 case 1: an MSISDN "unauthorized to retrieve the Service configuration" → 403, before any SMS.
        requireEntitled(subscriber, "subscriber not authorised for the services");
        Locale locale = messages.localeFor(request.acceptLanguage());
        boolean plain = smsPort == 0 || otp.smsPortZeroPolicy();
        OtpChallenges.Issued issued = sendOtp(request, "primary", subscriber, null, null,
                plain ? null : smsPort, locale, otp.smsPortZeroPolicy() && smsPort != 0);
        LOG.debug("OTP sent for a primary device of {}", Redaction.ref(subscriber.imsi()));
        // §2.3.2 case 1 / §2.3.3: the POLICY document when the operator turned a port-addressed request into a
        // user-visible SMS.
        HubResponse answer = otp.smsPortZeroPolicy() && smsPort != 0
                ? DeviceConfigurationFlow.xml(documents.smsPortZeroPolicy())
                : HubResponse.text(200, "");
        return answer.withHeader("Set-Cookie", setCookie(issued.cookie()));
    }

    /** Figure 9 and §2.3.4 case 1: an identity the HLR cannot resolve to a subscriber with an MSISDN → 403. */
    private HlrSubscriber resolvePrimary(String imsi, String msisdn) {
        Optional<HlrSubscriber> subscriber = imsi != null ? hlr.findByImsi(imsi) : Optional.empty();
        if (imsi != null && subscriber.isEmpty()) {
            throw RequestRejected.forbidden("IMSI not resolvable; ask the user for the MSISDN");
        }
        if (subscriber.isEmpty() && msisdn != null) {
            subscriber = hlr.findByMsisdn(msisdn);
        }
        HlrSubscriber found = subscriber.orElseThrow(() -> RequestRejected.forbidden("unknown or missing identity"));
        if (found.msisdn() == null) {
            throw RequestRejected.forbidden("no MSISDN to send the OTP to");
        }
        if (msisdn != null && !msisdn.equals(found.msisdn())) {
            throw RequestRejected.forbidden("IMSI and msisdn name different subscribers");
        }
        return found;
    }

    private static int smsPort(String value) {
        if (value == null || value.isEmpty()) {
            return -1; // absent: the default port, decided when the SMS is built
        }
        int port = Integer.parseInt(value); // the rule admits 1–5 digits only
        if (port > 65535) {
            throw RequestRejected.forbidden("SMS_port out of range");
        }
        return port;
    }

    // ---------------------------------------------------------------------------------------------------------
    // §2.5.1, Table 12: additional device sharing the primary's identity

    private HubResponse additionalDevice(DeviceRequest request) {
        if (!otp.additionalDevices()) {
            throw RequestRejected.forbidden("additional devices are not offered");
        }
        RequestRules.Checked checked = rules.validate(request.rawQuery(), RequestRules.Table.ADDITIONAL_DEVICE);
        QueryParameters params = checked.parameters();
        String msisdn = identityOf(params);
        String token = params.get("token");
        String deviceType = params.get("device_type");
        String friendlyName = checked.request().friendlyDeviceName();
        // §2.5.2 / §2.5.4 case 1: the primary MSISDN must be valid ...
        HlrSubscriber primary = hlr.findByMsisdn(msisdn)
                .orElseThrow(() -> RequestRejected.forbidden("unknown primary MSISDN"));
        if (!token.isEmpty()) {
            // §2.5.3 subsequent attempt; §2.5.4 case 2: a token no longer valid → 511.
            AccessTokens.Token found = tokens.find(token)
                    .filter(t -> primary.imsi().equals(t.identity().imsi()))
                    .orElseThrow(NonCellularConfigurationFlow::invalidToken);
            if (found.privileged()) {
                return configuration.configuration(request, primary, checked.request().vers(),
                        null, new DeviceConfigurationFlow.TokenGrant("additional", deviceType, friendlyName));
            }
        }
        // ... and already provisioned for the services.
        requireEntitled(primary, "primary identity not authorised for the services");
        if (friendlyName != null) {
            devices.checkFriendlyName(primary.imsi(), additionalDeviceKey(friendlyName), friendlyName);
        }
        Locale locale = messages.localeFor(request.acceptLanguage());
        OtpChallenges.Issued issued = sendOtp(request, "additional", primary, deviceType, friendlyName, null, locale, false);
        LOG.debug("OTP sent to the primary device of {} for an additional device", Redaction.ref(primary.imsi()));
        return HubResponse.text(200, "").withHeader("Set-Cookie", setCookie(issued.cookie()));
    }

    /** An additional device has no IMEI in Table 12: its friendly name tells it apart among the user's devices. */
    private static String additionalDeviceKey(String friendlyName) {
        return "additional:" + java.util.HexFormat.of().formatHex(
                io.provisioninghub.routes.common.Secrets.sha256(friendlyName), 0, 16);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Table 10 / Table 13: the OTP with the cookie

    private HubResponse secondRequest(DeviceRequest request, String oneTimePassword) {
        // §2.3.4, §2.5.2 case 2: wrong, expired, reused or exhausted → 511.
        OtpChallenges.Challenge challenge = challenges.verifyForSession(request.cookie(), oneTimePassword)
                .orElseThrow(() -> new RequestRejected(HubResponse.text(511, "Network Authentication Required"),
                        "OTP not valid"));
        HlrSubscriber subscriber = subscriberOf(challenge.identity());
        if ("additional".equals(challenge.purpose()) && challenge.friendlyDeviceName() != null) {
            devices.claimFriendlyName(subscriber.imsi(), additionalDeviceKey(challenge.friendlyDeviceName()),
                    challenge.friendlyDeviceName());
        }
        LOG.debug("OTP verified ({}) for {}", challenge.purpose(), Redaction.ref(subscriber.imsi()));
        // The device proved the identity just now: it gets the whole document and a token (vers treated as 0).
        return configuration.configuration(request, subscriber, 0, null,
                new DeviceConfigurationFlow.TokenGrant(challenge.purpose(), challenge.deviceType(),
                        challenge.friendlyDeviceName()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // §2.6, Table 14: dedicated identity, OTP issued out of band

    private HubResponse dedicatedIdentity(DeviceRequest request, String oneTimePassword) {
        if (!otp.dedicatedIdentities()) {
            throw RequestRejected.forbidden("devices with a dedicated identity are not offered");
        }
        RequestRules.Checked checked = rules.validate(request.rawQuery(), RequestRules.Table.DEDICATED_IDENTITY);
        QueryParameters params = checked.parameters();
        String msisdn = identityOf(params);
        String token = params.get("token");
        String deviceType = params.get("device_type");
        String friendlyName = checked.request().friendlyDeviceName();
        DeviceConfigurationFlow.TokenGrant grant = new DeviceConfigurationFlow.TokenGrant("dedicated", deviceType, friendlyName);
        // §2.6.2 case 1: an identity that is not valid → 403.
        HlrSubscriber subscriber = hlr.findByMsisdn(msisdn)
                .orElseThrow(() -> RequestRejected.forbidden("unknown identity"));
        if (!token.isEmpty()) {
            // §2.6.1 subsequent attempt (OTP empty); §2.6.2 case 2: a token no longer valid → 511.
            tokens.find(token)
                    .filter(t -> subscriber.imsi().equals(t.identity().imsi()) && t.privileged())
                    .orElseThrow(NonCellularConfigurationFlow::invalidToken);
            return configuration.configuration(request, subscriber, checked.request().vers(), null, grant);
        }
        // Billing before the OTP: a back end that is down (503) must not use up an OTP the user cannot get again by
        // simply retrying (§2.6.2 case 3), and an identity not entitled is refused (case 1) without a try counted.
        requireEntitled(subscriber, "identity not authorised for the services");
        challenges.verifyOutOfBand(msisdn, oneTimePassword)
                .orElseThrow(() -> new RequestRejected(HubResponse.text(511, "Network Authentication Required"),
                        "OTP not valid"));
        LOG.debug("Out-of-band OTP verified for {}", Redaction.ref(subscriber.imsi()));
        return configuration.configuration(request, subscriber, 0, null, grant);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Limits first (no SMS over them), then the challenge, then the SMS into the outbox. The HTTP answer never waits
     * on the SMSC.
     *
     * @param port null for a user-visible SMS; -1 for the default port
     */
    private OtpChallenges.Issued sendOtp(DeviceRequest request, String purpose, HlrSubscriber subscriber,
                                         String deviceType, String friendlyName, Integer port, Locale locale,
                                         boolean announced) {
        limits.charge(subscriber.msisdn(), request.remoteAddr());
        SubscriberIdentity identity = new SubscriberIdentity(subscriber.msisdn(), subscriber.imsi());
        OtpChallenges.Issued issued = challenges.issueForSession(purpose, identity, deviceType, friendlyName);
        SmsContent content;
        if (port == null) {
            String text = "additional".equals(purpose)
                    ? messages.sms("otp-additional-sms", locale, issued.otp(), deviceType)
                    : messages.sms("otp-sms", locale, issued.otp());
            content = new SmsContent.Plain(text);
        } else {
            // §2.3.3 step 1: the OTP alone, UCS2, to the client's port (37273 when it named none).
            content = new SmsContent.PortAddressed(port < 0 ? otp.defaultSmsPort() : port, issued.otp());
        }
        // §2.3.3 NOTE: give the POLICY answer time to reach the client before its SMS.
        Duration delay = announced ? otp.zeroPolicySmsDelay() : Duration.ZERO;
        outbox.enqueue("otp-" + purpose, subscriber.msisdn(), content, issued.expiresAt(), delay);
        // Issued once its SMS is in the outbox: when the outbox refuses it (503) the device never gets this OTP.
        metrics.otp(ConfigurationMetrics.ISSUED);
        return issued;
    }

    /**
     * §2.3.4 case 1, §2.5.2 case 1, §2.6.2 case 1: a subscriber the operator's policy would answer with a reset is
     * "not authorised" here → 403, before any SMS or OTP try. Billing unreachable → 503 (a back-end exception).
     */
    private void requireEntitled(HlrSubscriber subscriber, String reason) {
        if (subscriberPolicy.decide(subscriber, billing.productsOf(subscriber.msisdn())) instanceof SubscriberPolicy.Outcome.Reset) {
            throw RequestRejected.forbidden(reason);
        }
    }

    private HlrSubscriber subscriberOf(SubscriberIdentity identity) {
        Optional<HlrSubscriber> subscriber = identity.imsi() != null ? hlr.findByImsi(identity.imsi())
                : hlr.findByMsisdn(identity.msisdn());
        return subscriber.orElseThrow(() -> RequestRejected.forbidden("subscriber no longer exists"));
    }

    /** Tables 12/14: msisdn, or else sip_uri; one of them is mandatory. Only E.164 identities can be resolved. */
    private static String identityOf(QueryParameters params) {
        String msisdn = e164(params.get("msisdn"));
        if (msisdn != null) {
            return msisdn;
        }
        String sipUri = params.get("sip_uri");
        if (sipUri == null || sipUri.isEmpty()) {
            throw RequestRejected.forbidden("msisdn or sip_uri is mandatory");
        }
        Matcher matcher = E164_URI.matcher(sipUri);
        if (!matcher.matches()) {
            throw RequestRejected.forbidden("sip_uri does not name an E.164 identity");
        }
        return matcher.group(1);
    }

    /** E.164 with its '+' (Table 9: "+" percent-encoded by the client; tolerated when missing). */
    private static String e164(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.startsWith("+") ? value : "+" + value;
    }

    private static boolean matches(SubscriberIdentity bound, String imsi, String msisdn) {
        return (imsi == null || imsi.equals(bound.imsi())) && (msisdn == null || msisdn.equals(bound.msisdn()));
    }

    /** §2.3.4, §2.5.4 case 2, §2.6.2 case 2: unknown, expired, revoked, or bound to another identity. */
    private static RequestRejected invalidToken() {
        return new RequestRejected(HubResponse.text(511, "Network Authentication Required"), "token not valid");
    }

    private String setCookie(String value) {
        // Set over HTTPS and only ever sent back over HTTPS: Secure.
        return DeviceRequest.COOKIE_NAME + "=" + value + "; Max-Age=" + otp.validity().toSeconds()
                + "; Path=/; Secure; HttpOnly";
    }

    private static boolean hasParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return false;
        }
        int at = 0;
        while (at <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', at);
            if (end < 0) {
                end = rawQuery.length();
            }
            int eq = rawQuery.indexOf('=', at);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            if (nameEnd - at == name.length() && rawQuery.regionMatches(at, name, 0, name.length())) {
                return true;
            }
            at = end + 1;
        }
        return false;
    }
}
