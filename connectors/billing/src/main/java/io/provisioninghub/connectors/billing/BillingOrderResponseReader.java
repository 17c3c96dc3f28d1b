package io.provisioninghub.connectors.billing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.io.IOException;

/**
 * Turns billing's answer to a catalogue or ordering request into a {@link BillingCall.Answer} in the body:
 * <ul>
 *   <li>2xx: the JSON answer (anything not JSON is a {@link BillingResponseException});</li>
 *   <li>404: not found (the caller decides whether that is an answer or a misconfigured base URL);</li>
 *   <li>other 4xx: a refusal with billing's reason. Not an exception, on purpose: the circuit breaker around
 *       the call must count it as billing working, and it must not be retried;</li>
 *   <li>408 and 429 (billing is busy, not refusing): {@link BillingResponseException}, unavailable, not retried;</li>
 *   <li>5xx: {@link BillingServerErrorException}, transient, retried.</li>
 * </ul>
 * Its own {@link ObjectMapper}: billing's wire format must not change with the application's JSON settings.
 */
final class BillingOrderResponseReader implements Processor {

    /** Longest part of billing's reason that is kept. */
    static final int MAX_REASON = 300;

    // Prices are decimals: read them exactly, not through a double.
    private final ObjectMapper json = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        if (status >= 200 && status <= 299) {
            message.setBody(BillingCall.Answer.ok(status, parse(body, status)));
        } else if (status == 404) {
            message.setBody(BillingCall.Answer.notFound());
        } else if (status == 408 || status == 429) {
            throw new BillingResponseException("billing answered HTTP " + status);
        } else if (status >= 400 && status <= 499) {
            message.setBody(BillingCall.Answer.refused(status, reason(body)));
        } else if (status >= 500 && status <= 599) {
            throw new BillingServerErrorException(status);
        } else {
            throw new BillingResponseException("billing answered HTTP " + status + " to an ordering request");
        }
    }

    private JsonNode parse(byte[] body, int status) {
        if (body == null || body.length == 0) {
            throw new BillingResponseException("billing answered " + status + " without a body");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            // Neither the parser's message nor the body is kept: both may quote personal data.
            throw new BillingResponseException("billing answered " + status + " with a body that is not JSON ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new BillingResponseException("billing's answer could not be read");
        }
    }

    /** The TMF630 error's message (else its reason); "" when the body is not a TMF error. */
    private String reason(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode error = json.readTree(body);
            JsonNode text = error == null ? null : error.get("message");
            if (text == null || !text.isTextual() || text.textValue().isBlank()) {
                text = error == null ? null : error.get("reason");
            }
            if (text == null || !text.isTextual()) {
                return "";
            }
            String reason = text.textValue().strip();
            return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
        } catch (IOException e) {
            return "";
        }
    }
}
