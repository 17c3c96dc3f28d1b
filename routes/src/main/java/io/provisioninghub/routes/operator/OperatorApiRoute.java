package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.configuration.CustomerCare;
import io.provisioninghub.routes.identity.OperatorAccess;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.regex.Pattern;

import static io.provisioninghub.routes.identity.OperatorRole.ADMIN;
import static io.provisioninghub.routes.identity.OperatorRole.CARE;
import static io.provisioninghub.routes.identity.OperatorRole.SECURITY;

/**
 * The operator API for customer care (OPS-4), under {@code /operator/v1} on the operator plane: each route names the
 * roles it allows ({@link OperatorAccess}) and its audit action and target ({@link OperatorAudit}). Contract, with the
 * same roles: schemas/openapi/operator-api.yaml; docs/security.md.
 */
@Component
class OperatorApiRoute extends RouteBuilder {

    private static final Pattern IMSI = Pattern.compile("[0-9]{15}");
    private static final Pattern MSISDN = Pattern.compile("\\+[0-9]{6,15}");

    private final CustomerCare customerCare;
    private final io.provisioninghub.routes.rotation.DeviceKeyRegistry deviceKeys;
    private final OperatorAccess access;
    private final OperatorAudit audit;
    private final ObjectMapper json;

    OperatorApiRoute(CustomerCare customerCare, io.provisioninghub.routes.rotation.DeviceKeyRegistry deviceKeys,
                     OperatorAccess access, OperatorAudit audit, ObjectMapper json) {
        this.customerCare = customerCare;
        this.deviceKeys = deviceKeys;
        this.access = access;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/operator/v1/subscribers/{imsi}/resend?httpMethodRestrict=POST")
                .routeId("operator-api-resend")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("subscriber.resend"))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> {
                    String imsi = imsi(exchange);
                    HttpResponses.write(exchange, customerCare.markForResend(imsi)
                            ? HubResponse.text(202, "")
                            : OperatorJson.error(404, "unknown subscriber"));
                });

        from("platform-http:/operator/v1/subscribers/{imsi}/configuration?httpMethodRestrict=GET")
                .routeId("operator-api-configuration-state")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("subscriber.configuration.read"))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, customerCare.configurationState(imsi(exchange))
                        .map(state -> OperatorJson.json(json, 200, state))
                        .orElseGet(() -> OperatorJson.error(404, "unknown subscriber"))));

        configureTokensAndOtp();
    }

    private void configureTokensAndOtp() {
        // RCC.14 §2.6 step 1: the OTP for a device with a dedicated identity, delivered out of band by the operator.
        from("platform-http:/operator/v1/identities/{msisdn}/otp?httpMethodRestrict=POST")
                .routeId("operator-api-dedicated-otp")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("identity.otp.issue"))
                .process(OperatorAudit.subscriber("msisdn"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> {
                    String msisdn = msisdn(exchange);
                    HubResponse answer;
                    try {
                        answer = customerCare.issueDedicatedIdentityOtp(msisdn)
                                .map(issued -> OperatorJson.json(json, 201, Map.of(
                                        "otp", issued.otp(), "expiresAt", issued.expiresAt().toString()))
                                        .withHeader("Cache-Control", "no-store"))
                                .orElseGet(() -> OperatorJson.error(404, "unknown identity"));
                    } catch (IllegalStateException disabled) {
                        answer = OperatorJson.error(409, "devices with a dedicated identity are not offered");
                    }
                    HttpResponses.write(exchange, answer);
                });

        // RCC.14 §3: network-requested reconfiguration of one subscriber (trigger SMS + full document on next check).
        from("platform-http:/operator/v1/subscribers/{imsi}/reconfigure?httpMethodRestrict=POST")
                .routeId("operator-api-reconfigure")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("subscriber.reconfigure"))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> {
                    HubResponse answer;
                    try {
                        answer = customerCare.triggerReconfiguration(imsi(exchange))
                                .map(reference -> OperatorJson.json(json, 202, Map.of("sms", reference.toString())))
                                .orElseGet(() -> OperatorJson.error(404, "unknown subscriber"));
                    } catch (IllegalStateException noMsisdn) {
                        answer = OperatorJson.error(409, "the subscriber has no MSISDN to send the trigger to");
                    }
                    HttpResponses.write(exchange, answer);
                });

        // Issue 4: the device key registry (the keys devices sign their credential proposals with).
        from("platform-http:/operator/v1/subscribers/{imsi}/device-keys?httpMethodRestrict=GET,PUT,DELETE")
                .routeId("operator-api-device-keys")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.actionByMethod(Map.of("GET", "subscriber.device-keys.read",
                        "PUT", "subscriber.device-keys.put", "DELETE", "subscriber.device-keys.delete")))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, deviceKeys(exchange)));

        // Tokens are bound to the subscriber: revoke them all (e.g. a lost tablet), or demand a new OTP (§2.3.2 case 3).
        from("platform-http:/operator/v1/subscribers/{imsi}/tokens?httpMethodRestrict=DELETE")
                .routeId("operator-api-revoke-tokens")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("subscriber.tokens.revoke"))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, customerCare.revokeTokens(imsi(exchange))
                        .map(n -> OperatorJson.json(json, 200, Map.of("revoked", n)))
                        .orElseGet(() -> OperatorJson.error(404, "unknown subscriber"))));

        from("platform-http:/operator/v1/subscribers/{imsi}/tokens/require-otp?httpMethodRestrict=POST")
                .routeId("operator-api-require-otp")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("subscriber.tokens.require-otp"))
                .process(OperatorAudit.subscriber("imsi"))
                .policy(access.allow(CARE, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, customerCare.requireOtp(imsi(exchange))
                        .map(n -> OperatorJson.json(json, 200, Map.of("demoted", n)))
                        .orElseGet(() -> OperatorJson.error(404, "unknown subscriber"))));
    }

    private HubResponse deviceKeys(Exchange exchange) throws java.io.IOException {
        String imsi = imsi(exchange);
        if (!customerCare.knows(imsi)) {
            return OperatorJson.error(404, "unknown subscriber");
        }
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if ("GET".equals(method)) {
            return OperatorJson.json(json, 200, Map.of("keys", deviceKeys.keysOf(imsi)));
        }
        String imei = exchange.getMessage().getHeader("imei", String.class);
        if ("DELETE".equals(method)) {
            audit.parameter(exchange, "imei", imei);
            return OperatorJson.json(json, 200, Map.of("removed", deviceKeys.remove(imsi, imeiOf(imei))));
        }
        // PUT {"imei": "...", "jwk": {...}}
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = json.readTree(exchange.getMessage().getBody(String.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return OperatorJson.error(400, "the body must be JSON: {\"imei\": \"...\", \"jwk\": {...}}");
        }
        if (body == null || !body.has("jwk") || !body.get("jwk").isObject()) {
            return OperatorJson.error(400, "jwk (an object) is required");
        }
        String bodyImei = body.has("imei") ? body.get("imei").asText() : null;
        audit.parameter(exchange, "imei", bodyImei);
        try {
            String thumbprint = deviceKeys.put(imsi, imeiOf(bodyImei), json.writeValueAsString(body.get("jwk")));
            return OperatorJson.json(json, 200, Map.of("thumbprint", thumbprint));
        } catch (io.provisioninghub.routes.rotation.DeviceKeyRegistry.RefusedKey refused) {
            return OperatorJson.error(400, refused.getMessage());
        }
    }

    /** IMEI: 15 digits, or absent/empty for a key bound to the subscription. */
    private static String imeiOf(String imei) {
        if (imei == null || imei.isEmpty()) {
            return "";
        }
        if (!imei.matches("[0-9]{15}")) {
            throw new RequestRejected(OperatorJson.error(400, "imei must be 15 digits"), "bad imei");
        }
        return imei;
    }

    private static String msisdn(Exchange exchange) {
        String value = exchange.getMessage().getHeader("msisdn", String.class);
        if (value != null && value.regionMatches(true, 0, "%2B", 0, 3)) {
            value = "+" + value.substring(3); // the path segment as sent: '+' percent-encoded
        }
        String msisdn = value == null ? null : value.startsWith("+") ? value : "+" + value;
        if (msisdn == null || !MSISDN.matcher(msisdn).matches()) {
            throw new RequestRejected(OperatorJson.error(400, "msisdn must be E.164, e.g. +15550000001"), "bad msisdn");
        }
        return msisdn;
    }

    private static String imsi(Exchange exchange) {
        String imsi = exchange.getMessage().getHeader("imsi", String.class);
        if (imsi == null || !IMSI.matcher(imsi).matches()) {
            throw new RequestRejected(OperatorJson.error(400, "imsi must be 15 digits"), "bad imsi");
        }
        return imsi;
    }
}
