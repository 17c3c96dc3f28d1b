package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.billing.BillingClient;
import io.provisioninghub.connectors.billing.BillingProduct;
import io.provisioninghub.connectors.hlr.HlrClient;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.common.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.provisioninghub.schemas.provisioningdoc.Characteristic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of the cellular configuration flow (RCC.14 §2.2, CFG-1 … CFG-10). {@link DeviceConfigurationRoute}
 * orders them; each step either returns the answer or throws {@link RequestRejected} with the status the spec
 * names.
 */
@Component
class DeviceConfigurationFlow {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConfigurationFlow.class);
    private static final String TEXT_XML = "text/xml;charset=UTF-8";

    private final HeaderEnrichment enrichment;
    private final ConfigurationSessions sessions;
    private final RequestRules rules;
    private final HomeNetworks networks;
    private final HlrClient hlr;
    private final BillingClient billing;
    private final SubscriberPolicy subscriberPolicy;
    private final ConfigurationTemplates templates;
    private final ConfigurationVersions versions;
    private final AccessTokens tokens;
    private final DeviceRegistrations devices;
    private final UserMessages messages;
    private final ProvisioningDocuments documents;
    private final ConfigurationPolicy policy;
    private final List<FullDocumentSupplement> supplements;

    DeviceConfigurationFlow(HeaderEnrichment enrichment, ConfigurationSessions sessions, RequestRules rules,
                            HomeNetworks networks, HlrClient hlr, BillingClient billing,
                            SubscriberPolicy subscriberPolicy, ConfigurationTemplates templates,
                            ConfigurationVersions versions, AccessTokens tokens, DeviceRegistrations devices,
                            UserMessages messages, ProvisioningDocuments documents, ConfigurationPolicy policy,
                            List<FullDocumentSupplement> supplements) {
        this.supplements = List.copyOf(supplements);
        this.enrichment = enrichment;
        this.sessions = sessions;
        this.rules = rules;
        this.networks = networks;
        this.hlr = hlr;
        this.billing = billing;
        this.subscriberPolicy = subscriberPolicy;
        this.templates = templates;
        this.versions = versions;
        this.tokens = tokens;
        this.devices = devices;
        this.messages = messages;
        this.documents = documents;
        this.policy = policy;
    }

    /**
     * The first, plain-HTTP request (§2.2, CFG-1): the network identifies the subscriber and the answer is
     * 200 + Set-Cookie. Unidentified (§2.3.1.1), or identified while the operator runs the security-enhanced
     * mechanism (§2.2.5, CFG-9): 511 + Set-Cookie, and the client continues with the SMS/OTP flow of §2.3.2.
     */
    HubResponse firstRequest(DeviceRequest request) {
        SubscriberIdentity identity = enrichment.identify(request);
        if (!identity.isKnown() || policy.securityEnhanced()) {
            // In security-enhanced mode the enriched MSISDN is kept, unverified, so §2.3.2 need not ask for it.
            return networkAuthenticationRequired(identity);
        }
        String cookie = sessions.open(identity, true);
        LOG.debug("First request identified {}", Redaction.ref(identity.imsi() != null ? identity.imsi() : identity.msisdn()));
        return HubResponse.text(200, "").withHeader("Set-Cookie", setCookie(cookie));
    }

    /** The second, HTTPS request (§2.2.1, §2.2.2): correlate by cookie, validate Table 1, answer a document. */
    HubResponse secureRequest(DeviceRequest request) {
        Optional<ConfigurationSessions.Session> session = sessions.find(request.cookie());
        if (session.isEmpty() || !session.get().verified()) {
            // No network-asserted identity behind this request: non-3GPP access (§2.3.1.1, Table 8 511).
            return networkAuthenticationRequired(SubscriberIdentity.NONE);
        }
        ConfigurationRequest params = rules.validate(request.rawQuery());
        SubscriberIdentity identity = session.get().identity();
        HlrSubscriber subscriber = (identity.imsi() != null ? hlr.findByImsi(identity.imsi()) : hlr.findByMsisdn(identity.msisdn()))
                .orElseThrow(() -> RequestRejected.forbidden("unknown subscriber"));
        if (params.imsi() != null && !params.imsi().equals(subscriber.imsi())) {
            throw RequestRejected.forbidden("IMSI parameter contradicts the network-identified subscriber");
        }
        if (params.friendlyDeviceName() != null) {
            devices.claimFriendlyName(subscriber.imsi(), params.deviceKey(), params.friendlyDeviceName());
        }
        SubscriberConfigState state = subscriber.imsi().equals(identity.imsi()) ? session.get().state() : null;
        return configuration(request, subscriber, params.vers(), state,
                policy.issueToken() ? new TokenGrant("cellular", null, null) : null);
    }

    /**
     * The configuration answer of §2.2.2/§2.2.3 for an identified subscriber, shared by the cellular flow and the
     * OTP/token flows of §2.3, §2.5 and §2.6 ("from this point the procedure is identical").
     *
     * @param knownState what the subscriber was last sent when the caller already read it, else null
     * @param grant      the token to issue with a full document, or null for none
     */
    HubResponse configuration(DeviceRequest request, HlrSubscriber subscriber, long vers, SubscriberConfigState knownState,
                              TokenGrant grant) {
        HomeNetwork network = resolveNetwork(networks.fromHost(request.host()), subscriber);
        Optional<List<BillingProduct>> products = subscriber.msisdn() == null ? Optional.empty()
                : billing.productsOf(subscriber.msisdn());
        Locale locale = messages.localeFor(request.acceptLanguage());
        SubscriberPolicy.Outcome outcome = subscriberPolicy.decide(subscriber, products);
        if (outcome instanceof SubscriberPolicy.Outcome.Reset reset) {
            LOG.debug("Reset {} for {}", reset.kind(), Redaction.ref(subscriber.imsi()));
            UserMessages.Text text = policy.disablingMessage() ? messages.text(reset.reason(), locale) : null;
            return xml(documents.reset(reset.kind(), text));
        }
        List<String> services = ((SubscriberPolicy.Outcome.Configure) outcome).services();
        byte[] fingerprint = templates.fingerprint(network, services);
        long validity = policy.validity().toSeconds();
        SubscriberConfigState state = knownState != null ? knownState : versions.configStateOf(subscriber.imsi());
        if (versions.isCurrent(state, fingerprint, vers)) {
            return xml(documents.versionOnly(vers, validity));
        }
        SubscriberIdentity configured = new SubscriberIdentity(subscriber.msisdn(), subscriber.imsi());
        AccessTokens.NewToken token = grant == null ? null
                : tokens.prepare(configured, grant.issuedBy(), grant.deviceType(), grant.friendlyDeviceName());
        long version = versions.serveFull(subscriber.imsi(), fingerprint, token);
        // §2.2.3: a MSG only when the client had no working configuration (vers ≤ 0).
        UserMessages.Text welcome = policy.welcomeMessage() && vers <= 0 ? messages.text("welcome", locale) : null;
        LOG.debug("Full configuration v{} ({} services) for {}", version, services.size(), Redaction.ref(subscriber.imsi()));
        List<Characteristic> characteristics = new ArrayList<>(templates.render(network, services, userValues(network, subscriber)));
        if (state.supplementDue()) {
            for (FullDocumentSupplement supplement : supplements) {
                characteristics.addAll(supplement.supplement(subscriber.imsi(), request.host()));
            }
        }
        return xml(documents.full(version, validity, token == null ? null : token.value(), welcome, characteristics));
    }

    /** Which flow issues the TOKEN, and for which device (Tables 12/14 device_type, friendly_device_name). */
    record TokenGrant(String issuedBy, String deviceType, String friendlyDeviceName) {
    }

    private HomeNetwork resolveNetwork(Optional<HomeNetwork> fromHost, HlrSubscriber subscriber) {
        if (fromHost.isPresent()) {
            HomeNetwork network = fromHost.get();
            if (!subscriber.imsi().startsWith(network.mcc() + network.mnc())) {
                throw RequestRejected.forbidden("subscriber does not belong to the network the Host names");
            }
            return network;
        }
        return networks.fromImsi(subscriber.imsi())
                .orElseThrow(() -> RequestRejected.forbidden("subscriber's home network is not served here"));
    }

    /** TS 23.003 identities of the subscriber, for the templates' user placeholders. */
    private static Map<String, String> userValues(HomeNetwork network, HlrSubscriber subscriber) {
        Map<String, String> values = new HashMap<>();
        values.put("imsi", subscriber.imsi());
        values.put("impi", network.impi(subscriber.imsi()));
        values.put("impu-temporary", network.temporaryImpu(subscriber.imsi()));
        if (subscriber.msisdn() != null) {
            values.put("msisdn", subscriber.msisdn());
            values.put("impu-sip", "sip:" + subscriber.msisdn() + "@" + network.imsDomain());
            values.put("impu-tel", "tel:" + subscriber.msisdn());
        }
        return values;
    }

    private HubResponse networkAuthenticationRequired(SubscriberIdentity identity) {
        String cookie = sessions.open(identity, false);
        return HubResponse.text(511, "Network Authentication Required").withHeader("Set-Cookie", setCookie(cookie));
    }

    private String setCookie(String value) {
        // Not "Secure": the cookie is set on the plain-HTTP answer and must come back on the HTTPS request.
        return DeviceRequest.COOKIE_NAME + "=" + value + "; Max-Age=" + sessions.maxAgeSeconds() + "; Path=/; HttpOnly";
    }

    static HubResponse xml(byte[] body) {
        return HubResponse.of(200, TEXT_XML, body);
    }
}
