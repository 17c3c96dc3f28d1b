package io.provisioninghub.connectors.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link BillingOrders} over the {@link BillingOrderRoutes} (INT-2, SIGNUP-2/3): one synchronous exchange per
 * request, on the caller's thread. The TMF620/TMF622 wire format is written and read here, with this class's
 * own {@link ObjectMapper}.
 * <p>
 * Cancellation is a TMF622 order with action "delete" naming the products of the subscription's order, under
 * the key {@code <key>:cancel} (keys cannot contain ':', so it never collides with a create key). TMF's
 * {@code cancelProductOrder} is not used: it stops an order still in flight, and an order that has completed
 * (the simulator completes every order at once) can only be undone by terminating what it created.
 */
public final class CamelBillingOrders implements BillingOrders {

    private static final Logger LOG = LoggerFactory.getLogger(CamelBillingOrders.class);
    /** Suffix of the cancellation order's externalId; ':' is outside the create keys' alphabet. */
    static final String CANCEL_SUFFIX = ":cancel";
    // Anything in billing's reason that looks like a phone number or an e-mail address.
    private static final Pattern DIGIT_RUNS = Pattern.compile("\\+?[0-9][0-9 ().-]{4,}[0-9]");
    private static final Pattern EMAILS = Pattern.compile("\\S+@\\S+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final ProducerTemplate producerTemplate;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Endpoint orders;

    public CamelBillingOrders(ProducerTemplate producerTemplate) {
        this.producerTemplate = producerTemplate;
    }

    @Override
    public List<Plan> plans() {
        BillingCall.Answer answer = call(new BillingCall("GET", BillingProperties.PRODUCT_OFFERING_PATH, null, null),
                null);
        JsonNode offerings = okJson(answer, "the product offering list");
        if (!offerings.isArray()) {
            throw new BillingUnavailableException("billing answered a product offering list that is not an array",
                    null);
        }
        List<Plan> plans = new ArrayList<>(offerings.size());
        for (JsonNode offering : offerings) {
            Plan plan = plan(offering);
            if (plan != null) {
                plans.add(plan);
            }
        }
        return List.copyOf(plans);
    }

    @Override
    public BillingOrder createSubscription(SubscriptionOrder order) {
        if (order == null) {
            throw new IllegalArgumentException("order is required");
        }
        BillingCall.Answer answer = call(new BillingCall("POST", BillingProperties.PRODUCT_ORDER_PATH, null,
                bytes(addOrder(order))), order);
        // 201: created now; 200: billing already had this key (a repeated submit or a retry after a lost answer).
        return order(okJson(answer, "the product order"));
    }

    @Override
    public Optional<BillingOrder> findOrderByExternalId(String idempotencyKey) {
        SubscriptionOrder.requireKey(idempotencyKey);
        return find(idempotencyKey);
    }

    @Override
    public CancelOutcome cancelSubscription(String idempotencyKey) {
        SubscriptionOrder.requireKey(idempotencyKey);
        Optional<BillingOrder> created = find(idempotencyKey);
        if (created.isEmpty()) {
            return CancelOutcome.NOTHING_TO_CANCEL;
        }
        BillingOrder order = created.get();
        if (order.productIds().isEmpty()) {
            // Billing still works on it (its products do not exist yet), or it ended without creating any.
            return order.state().isFinal() ? CancelOutcome.NOTHING_TO_CANCEL : CancelOutcome.IN_PROGRESS;
        }
        BillingCall.Answer answer = call(new BillingCall("POST", BillingProperties.PRODUCT_ORDER_PATH, null,
                bytes(deleteOrder(idempotencyKey + CANCEL_SUFFIX, order.productIds()))), null);
        BillingOrder cancellation = order(okJson(answer, "the cancellation order"));
        if (cancellation.state() == OrderState.COMPLETED) {
            return CancelOutcome.CANCELLED;
        }
        if (!cancellation.state().isFinal()) {
            return CancelOutcome.IN_PROGRESS;
        }
        // Billing gave up on terminating the products: the saga must not believe the subscription is gone.
        throw new BillingUnavailableException("billing ended the cancellation order in state "
                + cancellation.state().wireName(), null);
    }

    private Optional<BillingOrder> find(String externalId) {
        BillingCall.Answer answer = call(new BillingCall("GET", BillingProperties.PRODUCT_ORDER_PATH,
                "externalId=" + externalId /* the key alphabet needs no encoding */, null), null);
        JsonNode found = okJson(answer, "the product order search");
        if (!found.isArray()) {
            throw new BillingUnavailableException("billing answered a product order search that is not an array",
                    null);
        }
        for (JsonNode candidate : found) {
            // A billing that ignored the filter would list other orders: only an exact match counts.
            if (externalId.equals(candidate.path("externalId").asText(null))) {
                return Optional.of(order(candidate));
            }
        }
        return Optional.empty();
    }

    // --- the exchange ------------------------------------------------------------------------------------------

    /**
     * Sends one call through the routes.
     *
     * @param personal the order whose personal data must not appear in a refusal's reason, or null
     */
    private BillingCall.Answer call(BillingCall call, SubscriptionOrder personal) {
        Exchange result = producerTemplate.request(endpoint(),
                exchange -> exchange.setProperty(BillingCall.PROPERTY, call));
        Throwable failure = result.getException();
        if (failure != null) {
            throw CamelBillingClient.unavailable(failure);
        }
        Object body = result.getMessage().getBody();
        if (!(body instanceof BillingCall.Answer answer)) {
            throw new BillingUnavailableException("billing request returned no result", null);
        }
        if (answer.reason() != null) {
            BillingRefusedException refused = new BillingRefusedException(answer.status(),
                    redact(answer.reason(), personal));
            LOG.debug("Billing refused a {} {}: {}", call.method(), call.path(), refused.getMessage());
            throw refused;
        }
        return answer;
    }

    private Endpoint endpoint() {
        Endpoint endpoint = orders;
        if (endpoint == null) {
            endpoint = producerTemplate.getCamelContext().getEndpoint(BillingOrderRoutes.ORDERS);
            orders = endpoint;
        }
        return endpoint;
    }

    private static JsonNode okJson(BillingCall.Answer answer, String what) {
        if (answer.status() == 404) {
            // The resources always exist; a 404 means base-url does not point at billing's TMF API.
            throw new BillingUnavailableException("billing answered HTTP 404 for " + what, null);
        }
        return answer.json();
    }

    /** Billing's reason without the order's personal data or anything shaped like a number or an address. */
    static String redact(String reason, SubscriptionOrder order) {
        String safe = CONTROL.matcher(reason).replaceAll(" ");
        if (order != null) {
            safe = replaceLiteral(safe, order.customer().name().strip());
            safe = replaceLiteral(safe, order.customer().email());
            safe = replaceLiteral(safe, order.msisdn());
            safe = replaceLiteral(safe, order.msisdn().substring(1));
        }
        safe = EMAILS.matcher(safe).replaceAll("[redacted]");
        return DIGIT_RUNS.matcher(safe).replaceAll("[redacted]");
    }

    private static String replaceLiteral(String text, String value) {
        if (value == null || value.length() < 2) {
            return text;
        }
        return Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE).matcher(text).replaceAll("[redacted]");
    }

    // --- TMF622 / TMF620 wire format -------------------------------------------------------------------------------

    private ObjectNode addOrder(SubscriptionOrder order) {
        ObjectNode body = json.createObjectNode();
        body.put("externalId", order.idempotencyKey());
        ObjectNode item = body.putArray("productOrderItem").addObject();
        item.put("id", "1");
        item.put("action", "add");
        item.put("quantity", 1);
        item.putObject("productOffering").put("id", order.planId());
        ObjectNode product = item.putObject("product");
        ObjectNode msisdn = product.putArray("productCharacteristic").addObject();
        msisdn.put("name", "msisdn");
        msisdn.put("valueType", "string");
        msisdn.put("value", order.msisdn());
        product.put("@type", "Product");
        item.put("@type", "ProductOrderItem");
        ObjectNode customer = body.putArray("relatedParty").addObject();
        customer.put("role", "customer");
        customer.put("name", order.customer().name().strip());
        customer.put("@referredType", "Individual");
        if (order.customer().email() != null) {
            ObjectNode email = customer.putArray("contactMedium").addObject();
            email.put("mediumType", "email");
            email.putObject("characteristic").put("emailAddress", order.customer().email().strip());
        }
        body.put("@type", "ProductOrder");
        return body;
    }

    private ObjectNode deleteOrder(String externalId, List<String> productIds) {
        ObjectNode body = json.createObjectNode();
        body.put("externalId", externalId);
        ArrayNode items = body.putArray("productOrderItem");
        int n = 0;
        for (String productId : productIds) {
            ObjectNode item = items.addObject();
            item.put("id", Integer.toString(++n));
            item.put("action", "delete");
            item.put("quantity", 1);
            item.putObject("product").put("id", productId);
            item.put("@type", "ProductOrderItem");
        }
        body.put("@type", "ProductOrder");
        return body;
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a product order could not be written", e);
        }
    }

    /** A TMF622 ProductOrder: id, externalId, state, and every product named by its items (bundled ones too). */
    static BillingOrder order(JsonNode order) {
        String id = order == null ? null : order.path("id").asText(null);
        if (id == null || id.isEmpty() || !order.path("id").isValueNode()) {
            throw new BillingUnavailableException("billing answered a product order without an id", null);
        }
        OrderState state;
        try {
            state = OrderState.fromWire(order.path("state").asText(null));
        } catch (IllegalArgumentException e) {
            throw new BillingUnavailableException("billing answered a product order without a TMF622 state", null);
        }
        List<String> productIds = new ArrayList<>();
        collectProductIds(order.path("productOrderItem"), productIds);
        return new BillingOrder(id, order.path("externalId").asText(null), state, productIds);
    }

    private static void collectProductIds(JsonNode items, List<String> into) {
        for (JsonNode item : items) {
            String productId = item.path("product").path("id").asText(null);
            if (productId != null && !productId.isEmpty() && !into.contains(productId)) {
                into.add(productId);
            }
            collectProductIds(item.path("productOrderItem"), into);
        }
    }

    /** A sellable TMF620 ProductOffering with a "service" characteristic; anything else is skipped. */
    private static Plan plan(JsonNode offering) {
        String id = offering.path("id").asText(null);
        String name = offering.path("name").asText(null);
        if (id == null || id.isEmpty() || name == null || name.isEmpty()
                || !offering.path("isSellable").asBoolean(true)) {
            LOG.warn("Skipped a billing product offering without id or name, or not sellable");
            return null;
        }
        List<String> services = new ArrayList<>();
        for (JsonNode use : offering.path("prodSpecCharValueUse")) {
            if (BillingResponseReader.SERVICE_CHARACTERISTIC.equals(use.path("name").asText(null))) {
                for (JsonNode value : use.path("productSpecCharacteristicValue")) {
                    if (value.path("value").isTextual() && !value.path("value").textValue().isBlank()) {
                        services.add(value.path("value").textValue());
                    }
                }
            }
        }
        if (services.isEmpty()) {
            LOG.warn("Skipped a billing product offering that names no '{}' it entitles to",
                    BillingResponseReader.SERVICE_CHARACTERISTIC);
            return null;
        }
        Plan.Price price = null;
        for (JsonNode p : offering.path("productOfferingPrice")) {
            JsonNode amount = p.path("price").path("value");
            if ("recurring".equals(p.path("priceType").asText(null)) && amount.isNumber()) {
                price = new Plan.Price(amount.decimalValue(), p.path("price").path("unit").asText(null),
                        p.path("recurringChargePeriodType").asText(null));
                break;
            }
        }
        return new Plan(id, name, offering.path("description").asText(""), price, services);
    }
}
