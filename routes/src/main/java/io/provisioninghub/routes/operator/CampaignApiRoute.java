package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.campaign.Campaigns;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import io.provisioninghub.routes.identity.OperatorAccess;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.provisioninghub.routes.identity.OperatorRole.ADMIN;
import static io.provisioninghub.routes.identity.OperatorRole.SECURITY;

/**
 * The operator API for campaigns (ROT-3, RECONF-2, OPS-4), under {@code /operator/v1/campaigns}: start a rotation
 * or reconfiguration campaign over a selection at an SMS rate, watch its progress, pause, resume, cancel. Roles
 * security and admin; every call audited with its selection and rate. Contract: schemas/openapi/operator-api.yaml;
 * flow: docs/flows/campaigns.md.
 */
@Component
class CampaignApiRoute extends RouteBuilder {

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final int LIST_LIMIT = 100;
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("pause", "resume", "cancel");

    private final Campaigns campaigns;
    private final OperatorAccess access;
    private final OperatorAudit audit;
    private final ObjectMapper json;

    CampaignApiRoute(Campaigns campaigns, OperatorAccess access, OperatorAudit audit, ObjectMapper json) {
        this.campaigns = campaigns;
        this.access = access;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/operator/v1/campaigns?httpMethodRestrict=GET,POST")
                .routeId("operator-api-campaigns")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.actionByMethod(Map.of("GET", "campaign.list", "POST", "campaign.start")))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange,
                        "POST".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))
                                ? start(exchange)
                                : OperatorJson.json(json, 200, Map.of("campaigns", campaigns.list(LIST_LIMIT)))));

        from("platform-http:/operator/v1/campaigns/{id}?httpMethodRestrict=GET")
                .routeId("operator-api-campaign")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("campaign.read"))
                .process(OperatorAudit.reference("campaign", "id"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, campaigns.view(id(exchange))
                        .map(value -> OperatorJson.json(json, 200, value))
                        .orElseGet(() -> OperatorJson.error(404, "no such campaign"))));

        from("platform-http:/operator/v1/campaigns/{id}/{action}?httpMethodRestrict=POST")
                .routeId("operator-api-campaign-action")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(exchange -> exchange.setProperty(OperatorAudit.ACTION, ACTIONS.contains(
                        exchange.getMessage().getHeader("action", String.class))
                        ? "campaign." + exchange.getMessage().getHeader("action", String.class) : "campaign.unknown"))
                .process(OperatorAudit.reference("campaign", "id"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, act(exchange)));
    }

    private HubResponse start(Exchange exchange) {
        JsonNode body;
        try {
            String text = exchange.getMessage().getBody(String.class);
            body = text == null || text.isBlank() ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            return OperatorJson.error(400, "the body must be JSON: {kind, selection, smsRatePerSecond, reason}");
        }
        if (body != null && body.isObject()) {
            for (String field : new String[] {"kind", "selection", "smsRatePerSecond", "reason"}) {
                if (body.has(field)) {
                    audit.parameter(exchange, field, body.get(field));
                }
            }
        }
        try {
            Map<String, Object> created = campaigns.start(body);
            return OperatorJson.json(json, 201, created)
                    .withHeader("Location", "/operator/v1/campaigns/" + created.get("id"));
        } catch (Campaigns.Refused refused) {
            return OperatorJson.error(400, refused.getMessage());
        }
    }

    private HubResponse act(Exchange exchange) {
        long id = id(exchange);
        String action = exchange.getMessage().getHeader("action", String.class);
        boolean found;
        try {
            if ("pause".equals(action)) {
                found = campaigns.pause(id);
            } else if ("resume".equals(action)) {
                found = campaigns.resume(id);
            } else if ("cancel".equals(action)) {
                found = campaigns.cancel(id);
            } else {
                return OperatorJson.error(404, "unknown action: use pause, resume or cancel");
            }
        } catch (Campaigns.Conflict conflict) {
            return OperatorJson.error(409, conflict.getMessage());
        }
        if (!found) {
            return OperatorJson.error(404, "no such campaign");
        }
        Optional<Map<String, Object>> view = campaigns.view(id);
        return view.map(value -> OperatorJson.json(json, 200, value))
                .orElseGet(() -> OperatorJson.error(404, "no such campaign"));
    }

    private static long id(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || !ID.matcher(id).matches()) {
            throw new RequestRejected(OperatorJson.error(400, "the campaign id is a positive whole number"),
                    "bad campaign id");
        }
        return Long.parseLong(id);
    }
}
