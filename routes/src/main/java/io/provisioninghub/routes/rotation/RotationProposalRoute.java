package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The device's side door of a rotation (ROT-2): {@code POST /rotation/v1/proposals} with the signed, encrypted
 * proposal ({@code application/jose}, a compact JWS). HTTPS only. Answers 200 {"outcome":"rotated"}, 400 for a body that
 * is not a well-formed proposal, 403 with the reason when it is refused (unknown/used/expired nonce, or the checks of
 * {@link RotationProposals} failed), 415 for another media type, 503 + Retry-After when the HLR or the hub database
 * cannot be reached (nothing changed: send the same proposal again). Sequence diagram: docs/flows/rotation.md.
 */
@Component
class RotationProposalRoute extends RouteBuilder {

    static final String ROUTE_ID = "rotation-proposal";
    /** A proposal is well under 2 KB; anything much larger is not one (and is not read into memory). */
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final RotationProposals proposals;
    private final ResponseMetrics metrics;
    private final ObjectMapper json;

    RotationProposalRoute(RotationProposals proposals, ResponseMetrics metrics, ObjectMapper json) {
        this.proposals = proposals;
        this.metrics = metrics;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:" + RotationChallenges.PROPOSAL_PATH + "?httpMethodRestrict=POST")
                .routeId(ROUTE_ID)
                .routeGroup("rotation")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> {
                    String body = readProposal(exchange);
                    RotationProposals.Outcome outcome = proposals.apply(body);
                    metrics.record(ROUTE_ID, outcome.status(), outcome.outcome());
                    HttpResponses.write(exchange, HubResponse.of(outcome.status(), "application/json", toJson(outcome))
                            .withHeader("Cache-Control", "no-store"));
                });
    }

    private static String readProposal(Exchange exchange) {
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        if (http == null || !http.getRequest().isSecure()) {
            throw new RequestRejected(error(403, "credential proposals are accepted over HTTPS only"), "proposal over HTTP");
        }
        String type = http.getRequest().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/jose")) {
            throw new RequestRejected(error(415, "Content-Type must be application/jose (a compact JWS)"), "proposal media type");
        }
        if (http.getRequest().getContentLengthLong() > MAX_BODY_BYTES) {
            throw new RequestRejected(error(413, "a proposal is at most " + MAX_BODY_BYTES + " bytes"), "proposal too large");
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && body.length() > MAX_BODY_BYTES) {
            throw new RequestRejected(error(413, "a proposal is at most " + MAX_BODY_BYTES + " bytes"), "proposal too large");
        }
        return body;
    }

    private byte[] toJson(RotationProposals.Outcome outcome) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", outcome.outcome());
        if (outcome.reason() != null) {
            answer.put("reason", outcome.reason());
        }
        try {
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HubResponse error(int status, String message) {
        return HubResponse.of(status, "application/json",
                ("{\"outcome\":\"refused\",\"reason\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
