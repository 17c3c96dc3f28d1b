package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.provisioninghub.connectors.billing.simulator.BillingFaults.OrderStep;
import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * TMF622 Product Ordering v4, the part sign-up uses (SIGNUP-2/3, INT-2):
 * <ul>
 *   <li>{@code POST /tmf-api/productOrdering/v4/productOrder} with one item {@code "action":"add"} for a plan:
 *       a new subscription. The number to bill is the item's product characteristic {@code msisdn}, the
 *       customer the {@code relatedParty} with role {@code customer} ({@code name}, optionally an e-mail
 *       {@code contactMedium}). The order completes at once: one active TMF637 product per service of the plan.</li>
 *   <li>the same with items {@code "action":"delete"}, each naming a product ({@code product.id}): the end of a
 *       subscription. The products are terminated (TMF's way once an order has completed; cancelProductOrder
 *       is for orders still in flight, and the stand-in has none).</li>
 *   <li>{@code GET .../productOrder/{id}}; {@code GET .../productOrder?externalId=...}: {@code []} or the order</li>
 * </ul>
 * <b>Idempotency</b>: {@code externalId} is required and names one order for ever. The same order sent again
 * answers {@code 200} with the existing order (the first answer was {@code 201}); the same externalId with a
 * different order answers {@code 409}. Bad orders answer {@code 400}, a number that already has a live
 * subscription {@code 409}, both with a TMF error body that quotes no personal data.
 */
final class ProductOrderHandler extends TmfApiHandler {

    static final String PATH = "/tmf-api/productOrdering/v4/productOrder";

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    private static final int MAX_EXTERNAL_ID = 100;
    private static final int MAX_NAME = 200;
    private static final int MAX_ITEMS = 100;

    private final OrderStore store;
    private final String hrefBase;
    private final String productHrefBase;

    ProductOrderHandler(OrderStore store, BillingFaults faults, String baseUrl) {
        super(faults);
        this.store = store;
        this.hrefBase = baseUrl + PATH;
        this.productHrefBase = baseUrl + ProductInventoryHandler.PATH;
    }

    /** A well-formed order, before it is carried out. */
    private record Request(String externalId, OrderStep step, String planId, String msisdn, String customerName,
                           String customerEmail, List<Long> productIds) {
    }

    @Override
    void dispatch(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            switch (method) {
                case "GET" -> findByExternalId(exchange);
                case "POST" -> place(exchange);
                default -> HttpExchanges.sendMethodNotAllowed(exchange, "GET, POST");
            }
        } else if (path.startsWith(PATH + "/")) {
            if (!method.equals("GET")) {
                HttpExchanges.sendMethodNotAllowed(exchange, "GET");
                return;
            }
            Optional<Long> id = numericId(path.substring(PATH.length() + 1));
            Optional<OrderStore.StoredOrder> order = id.isEmpty() ? Optional.empty() : store.order(id.get());
            if (order.isEmpty()) {
                HttpExchanges.sendError(exchange, 404, "no such product order");
                return;
            }
            HttpExchanges.sendJson(exchange, 200, json(order.get()));
        } else {
            HttpExchanges.sendError(exchange, 404, "no such resource");
        }
    }

    private void findByExternalId(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        Map<String, List<String>> query = HttpExchanges.queryParameters(exchange);
        List<String> values = query.get("externalId");
        if (values == null || query.size() != 1) {
            // Listing every order is not offered: the hub only ever looks one up by its own key.
            throw new BadRequest("externalId is required and is the only supported query parameter");
        }
        if (values.size() != 1 || values.get(0).isEmpty()) {
            throw new BadRequest("externalId must be given once, not empty");
        }
        Optional<OrderStore.StoredOrder> order = store.orderByExternalId(values.get(0));
        List<TmfJson.ProductOrder> found = order.isEmpty() ? List.of() : List.of(json(order.get()));
        exchange.getResponseHeaders().set("X-Total-Count", Integer.toString(found.size()));
        exchange.getResponseHeaders().set("X-Result-Count", Integer.toString(found.size()));
        HttpExchanges.sendJson(exchange, 200, found);
    }

    private void place(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        if (!HttpExchanges.isJsonOrUnspecified(exchange)) {
            throw new BadRequest(415, "send application/json");
        }
        Request request = parse(HttpExchanges.readBody(exchange));
        int fault = faults.orderFaultFor(request.step());
        if (fault > 0) {
            HttpExchanges.sendError(exchange, fault, "injected fault");
            return;
        }
        OrderStore.Placed placed = request.step() == OrderStep.CREATE
                ? store.placeAddOrder(request.externalId(), request.planId(), request.msisdn(),
                        request.customerName(), request.customerEmail())
                : store.placeDeleteOrder(request.externalId(), request.productIds());
        if (fault == BillingFaults.LOST_RESPONSE) {
            // Carried out and committed; returning without an answer makes the JDK server close the connection.
            return;
        }
        if (!placed.created() && !sameOrder(placed.order(), request)) {
            throw new BadRequest(409, "externalId already names a different product order");
        }
        TmfJson.ProductOrder body = json(placed.order());
        if (placed.created()) {
            exchange.getResponseHeaders().set("Location", body.href());
        }
        HttpExchanges.sendJson(exchange, placed.created() ? 201 : 200, body);
    }

    /** A replay is the same order when it asks for the same thing; the customer's details may be re-typed. */
    private static boolean sameOrder(OrderStore.StoredOrder order, Request request) {
        if (request.step() == OrderStep.CREATE) {
            return order.action().equals("add") && order.planId().equals(request.planId())
                    && order.msisdn().equals(request.msisdn());
        }
        return order.action().equals("delete")
                && new HashSet<>(order.productIds()).equals(new HashSet<>(request.productIds()));
    }

    private TmfJson.ProductOrder json(OrderStore.StoredOrder order) {
        return TmfJson.ProductOrder.of(order, hrefBase, productHrefBase);
    }

    // --- request validation: every message says what is wrong, never quotes a value ------------------------------

    private static Request parse(byte[] body) throws BadRequest {
        JsonNode order;
        try {
            order = TmfJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw new BadRequest("the body could not be read");
        }
        if (order == null || !order.isObject()) {
            throw new BadRequest("the body must be a TMF622 ProductOrder object");
        }
        String externalId = text(order, "externalId");
        if (externalId == null || externalId.isBlank() || externalId.length() > MAX_EXTERNAL_ID
                || externalId.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("externalId is required: the caller's idempotency key, 1.." + MAX_EXTERNAL_ID
                    + " printable characters");
        }
        JsonNode items = order.get("productOrderItem");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new BadRequest("productOrderItem must be an array of 1.." + MAX_ITEMS + " items");
        }
        Set<String> actions = new HashSet<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new BadRequest("each productOrderItem must be an object");
            }
            String quantity = item.has("quantity") ? item.get("quantity").asText() : "1";
            if (!quantity.equals("1")) {
                throw new BadRequest("productOrderItem.quantity must be 1");
            }
            actions.add(String.valueOf(text(item, "action")));
        }
        if (actions.equals(Set.of("add"))) {
            return parseAdd(externalId, order, items);
        }
        if (actions.equals(Set.of("delete"))) {
            return parseDelete(externalId, items);
        }
        throw new BadRequest("productOrderItem.action must be \"add\" (one item: a plan) or \"delete\" (every item)");
    }

    private static Request parseAdd(String externalId, JsonNode order, JsonNode items) throws BadRequest {
        if (items.size() != 1) {
            throw new BadRequest("an add order has exactly one productOrderItem: the plan");
        }
        JsonNode item = items.get(0);
        String planId = text(item.path("productOffering"), "id");
        if (planId == null || planId.isBlank()) {
            throw new BadRequest("productOrderItem.productOffering.id is required: the plan");
        }
        String msisdn = null;
        for (JsonNode c : item.path("product").path("productCharacteristic")) {
            if ("msisdn".equals(text(c, "name"))) {
                msisdn = text(c, "value");
            }
        }
        if (msisdn == null || !E164.matcher(msisdn).matches()) {
            throw new BadRequest("productOrderItem.product.productCharacteristic \"msisdn\" is required:"
                    + " the number to bill, E.164 with a leading '+'");
        }
        JsonNode customer = null;
        for (JsonNode party : order.path("relatedParty")) {
            if ("customer".equals(text(party, "role"))) {
                if (customer != null) {
                    throw new BadRequest("relatedParty has more than one customer");
                }
                customer = party;
            }
        }
        if (customer == null) {
            throw new BadRequest("relatedParty with role \"customer\" is required");
        }
        String name = text(customer, "name");
        if (name == null || name.isBlank() || name.length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("the customer's name is required, 1.." + MAX_NAME + " printable characters");
        }
        String email = null;
        for (JsonNode medium : customer.path("contactMedium")) {
            if ("email".equals(text(medium, "mediumType"))) {
                email = text(medium.path("characteristic"), "emailAddress");
                if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
                    throw new BadRequest("the customer's emailAddress is not an e-mail address");
                }
            }
        }
        return new Request(externalId, OrderStep.CREATE, planId, msisdn, name.strip(), email, List.of());
    }

    private static Request parseDelete(String externalId, JsonNode items) throws BadRequest {
        List<Long> productIds = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            String id = text(item.path("product"), "id");
            Optional<Long> productId = id == null ? Optional.empty() : numericId(id);
            if (productId.isEmpty()) {
                throw new BadRequest("each delete item must name a product: product.id");
            }
            if (productIds.contains(productId.get())) {
                throw new BadRequest("a product is named by more than one delete item");
            }
            productIds.add(productId.get());
        }
        return new Request(externalId, OrderStep.CANCEL, null, null, null, null, List.copyOf(productIds));
    }

    /** The field's text, or null when it is missing or not a string. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
