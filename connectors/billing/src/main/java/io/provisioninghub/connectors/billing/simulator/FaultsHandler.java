package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code /sandbox/faults}: the injected faults over HTTP, so a person trying the sandbox can cut billing off.
 * <ul>
 *   <li>GET shows them (and the request count);</li>
 *   <li>PUT or POST changes the fields given, e.g. {@code {"failureStatus":503}}, {@code {"latencyMs":3000}},
 *       {@code {"failNextCount":2,"failNextStatus":500}}; fields not given stay as they are. Product orders:
 *       {@code {"createOrderFault":{"count":1,"status":503}}} (answered, not carried out) or
 *       {@code {"cancelOrderFault":{"count":1,"lostResponse":true}}} (carried out, answer lost);
 *       {@code {"count":0}} clears one;</li>
 *   <li>DELETE turns every fault off.</li>
 * </ul>
 * Every answer is the current state.
 */
final class FaultsHandler implements HttpHandler {

    static final String PATH = "/sandbox/faults";

    private static final Set<String> FIELDS = Set.of("latencyMs", "failureStatus", "failNextCount", "failNextStatus",
            "createOrderFault", "cancelOrderFault");
    private static final Set<String> ORDER_FAULT_FIELDS = Set.of("count", "status", "lostResponse");

    private final BillingFaults faults;

    FaultsHandler(BillingFaults faults) {
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
                HttpExchanges.sendError(exchange, 404, "no such resource");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> { }
                case "PUT", "POST" -> apply(HttpExchanges.readBody(exchange));
                case "DELETE" -> faults.reset();
                default -> {
                    HttpExchanges.sendMethodNotAllowed(exchange, "GET, PUT, POST, DELETE");
                    return;
                }
            }
            HttpExchanges.sendJson(exchange, 200, TmfJson.Faults.of(faults));
        } catch (BadRequest e) {
            HttpExchanges.sendError(exchange, e.status, e.getMessage());
        } finally {
            exchange.close();
        }
    }

    // Validates the whole body before changing anything, so a bad request changes nothing.
    private void apply(byte[] body) throws BadRequest {
        JsonNode json;
        try {
            json = TmfJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw new BadRequest("the body could not be read");
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest("the body must be a JSON object such as {\"failureStatus\":503}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                throw new BadRequest("known fields: latencyMs, failureStatus, failNextCount, failNextStatus,"
                        + " createOrderFault, cancelOrderFault");
            }
        }
        Long latencyMs = integer(json, "latencyMs", 0, BillingFaults.MAX_LATENCY.toMillis());
        Long failureStatus = integer(json, "failureStatus", 0, 599);
        Long failNextCount = integer(json, "failNextCount", 0, 1_000_000);
        Long failNextStatus = integer(json, "failNextStatus", 0, 599);
        if (failureStatus != null && failureStatus != 0 && failureStatus < 400) {
            throw new BadRequest("failureStatus must be 0 (off) or 400..599");
        }
        if ((failNextCount == null) != (failNextStatus == null)) {
            throw new BadRequest("failNextCount and failNextStatus go together");
        }
        if (failNextCount != null && failNextCount > 0 && failNextStatus < 400) {
            throw new BadRequest("failNextStatus must be 400..599");
        }
        OrderFault createOrderFault = orderFault(json, "createOrderFault");
        OrderFault cancelOrderFault = orderFault(json, "cancelOrderFault");
        if (latencyMs != null) {
            faults.setLatency(Duration.ofMillis(latencyMs));
        }
        if (failureStatus != null) {
            faults.setFailureStatus(failureStatus.intValue());
        }
        if (failNextCount != null) {
            faults.failNext(failNextCount.intValue(), failNextStatus.intValue());
        }
        if (createOrderFault != null) {
            createOrderFault.applyTo(faults, BillingFaults.OrderStep.CREATE);
        }
        if (cancelOrderFault != null) {
            cancelOrderFault.applyTo(faults, BillingFaults.OrderStep.CANCEL);
        }
    }

    /** {"count":n,"status":s} or {"count":n,"lostResponse":true}; {"count":0} clears. */
    private record OrderFault(int count, int status, boolean lostResponse) {
        void applyTo(BillingFaults faults, BillingFaults.OrderStep step) {
            if (lostResponse) {
                faults.loseNextOrderResponses(step, count);
            } else {
                faults.failNextOrders(step, count, status);
            }
        }
    }

    private static OrderFault orderFault(JsonNode json, String field) throws BadRequest {
        JsonNode fault = json.get(field);
        if (fault == null) {
            return null;
        }
        String shape = field + " must be {\"count\":n,\"status\":400..599} or {\"count\":n,\"lostResponse\":true}";
        if (!fault.isObject()) {
            throw new BadRequest(shape);
        }
        for (Iterator<String> names = fault.fieldNames(); names.hasNext(); ) {
            if (!ORDER_FAULT_FIELDS.contains(names.next())) {
                throw new BadRequest(shape);
            }
        }
        Long count = integer(fault, "count", 0, 1_000_000);
        Long status = integer(fault, "status", 400, 599);
        JsonNode lost = fault.get("lostResponse");
        if (count == null || (lost != null && !lost.isBoolean())) {
            throw new BadRequest(shape);
        }
        boolean lostResponse = lost != null && lost.booleanValue();
        if (count > 0 && (lostResponse == (status != null))) {
            throw new BadRequest(shape);
        }
        return new OrderFault(count.intValue(), status == null ? 0 : status.intValue(), lostResponse);
    }

    private static Long integer(JsonNode json, String field, long min, long max) throws BadRequest {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()
                || value.longValue() < min || value.longValue() > max) {
            throw new BadRequest(field + " must be an integer between " + min + " and " + max);
        }
        return value.longValue();
    }
}
