package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's side of the TMF637 v4 wire format. Separate from the client's reading of it on purpose:
 * the stand-in plays an external system, and the client must not pass its tests by sharing its classes.
 * Property names are explicit: they are the contract, not Java names.
 */
final class TmfJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TmfJson() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "href", "name", "status", "isBundle", "startDate", "productOffering",
            "productCharacteristic", "relatedParty", "@type"})
    record Product(@JsonProperty("id") String id,
                   @JsonProperty("href") String href,
                   @JsonProperty("name") String name,
                   @JsonProperty("status") String status,
                   @JsonProperty("isBundle") boolean isBundle,
                   @JsonProperty("startDate") String startDate,
                   @JsonProperty("productOffering") ProductOfferingRef productOffering,
                   @JsonProperty("productCharacteristic") List<Characteristic> productCharacteristic,
                   @JsonProperty("relatedParty") List<RelatedParty> relatedParty,
                   @JsonProperty("@type") String type) {

        static Product of(StoredProduct p, String productHrefBase) {
            String id = Long.toString(p.id());
            return new Product(id, productHrefBase + "/" + id, p.offeringName(), p.status(), p.bundle(),
                    p.startDate().toString(),
                    new ProductOfferingRef(p.offeringId(), p.offeringName()),
                    List.of(new Characteristic("service", "string", p.service())),
                    List.of(new RelatedParty(p.msisdn(), "customer", "Individual")),
                    "Product");
        }
    }

    record ProductOfferingRef(@JsonProperty("id") String id, @JsonProperty("name") String name) {
    }

    record Characteristic(@JsonProperty("name") String name,
                          @JsonProperty("valueType") String valueType,
                          @JsonProperty("value") String value) {
    }

    record RelatedParty(@JsonProperty("id") String id,
                        @JsonProperty("role") String role,
                        @JsonProperty("@referredType") String referredType) {
    }

    /**
     * A plan as a TMF620 v4 ProductOffering: a sellable bundle of the per-service offerings, its monthly price
     * as a recurring ProductOfferingPrice, and the hub services it entitles to as the values of the "service"
     * characteristic ({@code prodSpecCharValueUse}), the same names the inventory's products carry.
     */
    @JsonPropertyOrder({"id", "href", "name", "description", "isBundle", "isSellable", "lifecycleStatus",
            "bundledProductOffering", "prodSpecCharValueUse", "productOfferingPrice", "@type"})
    record ProductOffering(@JsonProperty("id") String id,
                           @JsonProperty("href") String href,
                           @JsonProperty("name") String name,
                           @JsonProperty("description") String description,
                           @JsonProperty("isBundle") boolean isBundle,
                           @JsonProperty("isSellable") boolean isSellable,
                           @JsonProperty("lifecycleStatus") String lifecycleStatus,
                           @JsonProperty("bundledProductOffering") List<ProductOfferingRef> bundledProductOffering,
                           @JsonProperty("prodSpecCharValueUse") List<CharValueUse> prodSpecCharValueUse,
                           @JsonProperty("productOfferingPrice") List<OfferingPrice> productOfferingPrice,
                           @JsonProperty("@type") String type) {

        static ProductOffering of(OrderStore.StoredPlan plan, String hrefBase) {
            List<ProductOfferingRef> bundled = new ArrayList<>();
            List<CharValue> services = new ArrayList<>();
            for (OrderStore.StoredOffering o : plan.offerings()) {
                bundled.add(new ProductOfferingRef(o.id(), o.name()));
                services.add(new CharValue(o.service()));
            }
            return new ProductOffering(plan.id(), hrefBase + "/" + plan.id(), plan.name(), plan.description(),
                    true, true, "Launched", bundled,
                    List.of(new CharValueUse("service", "string", services)),
                    List.of(new OfferingPrice("Monthly fee", "recurring", "month", 1,
                            new Money(plan.currency(), plan.price()))),
                    "ProductOffering");
        }
    }

    record CharValueUse(@JsonProperty("name") String name,
                        @JsonProperty("valueType") String valueType,
                        @JsonProperty("productSpecCharacteristicValue") List<CharValue> values) {
    }

    record CharValue(@JsonProperty("value") String value) {
    }

    @JsonPropertyOrder({"name", "priceType", "recurringChargePeriodType", "recurringChargePeriodLength", "price"})
    record OfferingPrice(@JsonProperty("name") String name,
                         @JsonProperty("priceType") String priceType,
                         @JsonProperty("recurringChargePeriodType") String recurringChargePeriodType,
                         @JsonProperty("recurringChargePeriodLength") int recurringChargePeriodLength,
                         @JsonProperty("price") Money price) {
    }

    record Money(@JsonProperty("unit") String unit, @JsonProperty("value") BigDecimal value) {
    }

    /**
     * A TMF622 v4 ProductOrder as the stand-in answers it. An "add" order has one item for the plan, with one
     * sub-item ({@code productOrderItem}, TMF's bundled order items) per product it created; a "delete" order
     * has one item per product it terminated. Every item names its product by id and href (TMF637).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "href", "externalId", "state", "orderDate", "completionDate", "productOrderItem",
            "relatedParty", "@type"})
    record ProductOrder(@JsonProperty("id") String id,
                        @JsonProperty("href") String href,
                        @JsonProperty("externalId") String externalId,
                        @JsonProperty("state") String state,
                        @JsonProperty("orderDate") String orderDate,
                        @JsonProperty("completionDate") String completionDate,
                        @JsonProperty("productOrderItem") List<OrderItem> productOrderItem,
                        @JsonProperty("relatedParty") List<Party> relatedParty,
                        @JsonProperty("@type") String type) {

        static ProductOrder of(OrderStore.StoredOrder order, String orderHrefBase, String productHrefBase) {
            String id = Long.toString(order.id());
            List<OrderItem> items = new ArrayList<>();
            List<Party> parties = null;
            if (order.action().equals("add")) {
                List<OrderItem> bundled = new ArrayList<>();
                for (OrderStore.StoredItem item : order.items()) {
                    bundled.add(new OrderItem(item.itemId(), 1, "add", order.state(),
                            new ProductOfferingRef(item.offeringId(), item.offeringName()),
                            ItemProduct.ref(item.productId(), productHrefBase), null));
                }
                items.add(new OrderItem("1", 1, "add", order.state(),
                        new ProductOfferingRef(order.planId(), order.planName()),
                        new ItemProduct(null, null, List.of(new Characteristic("msisdn", "string", order.msisdn())),
                                "Product"),
                        bundled));
                List<ContactMedium> contact = order.customerEmail() == null ? null
                        : List.of(new ContactMedium("email", new ContactCharacteristic(order.customerEmail())));
                parties = List.of(new Party(null, order.customerName(), "customer", "Individual", contact));
            } else {
                for (OrderStore.StoredItem item : order.items()) {
                    items.add(new OrderItem(item.itemId(), 1, "delete", order.state(), null,
                            ItemProduct.ref(item.productId(), productHrefBase), null));
                }
            }
            return new ProductOrder(id, orderHrefBase + "/" + id, order.externalId(), order.state(),
                    order.orderDate().toString(),
                    order.completionDate() == null ? null : order.completionDate().toString(),
                    items, parties, "ProductOrder");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "quantity", "action", "state", "productOffering", "product", "productOrderItem",
            "@type"})
    record OrderItem(@JsonProperty("id") String id,
                     @JsonProperty("quantity") int quantity,
                     @JsonProperty("action") String action,
                     @JsonProperty("state") String state,
                     @JsonProperty("productOffering") ProductOfferingRef productOffering,
                     @JsonProperty("product") ItemProduct product,
                     @JsonProperty("productOrderItem") List<OrderItem> productOrderItem) {

        @JsonProperty("@type")
        String type() {
            return "ProductOrderItem";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "href", "productCharacteristic", "@type"})
    record ItemProduct(@JsonProperty("id") String id,
                       @JsonProperty("href") String href,
                       @JsonProperty("productCharacteristic") List<Characteristic> productCharacteristic,
                       @JsonProperty("@type") String type) {

        static ItemProduct ref(long productId, String productHrefBase) {
            String id = Long.toString(productId);
            return new ItemProduct(id, productHrefBase + "/" + id, null, "ProductRef");
        }
    }

    /** The customer: a TMF RelatedParty with the TMF632 contact medium for the e-mail address. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "name", "role", "@referredType", "contactMedium"})
    record Party(@JsonProperty("id") String id,
                 @JsonProperty("name") String name,
                 @JsonProperty("role") String role,
                 @JsonProperty("@referredType") String referredType,
                 @JsonProperty("contactMedium") List<ContactMedium> contactMedium) {
    }

    record ContactMedium(@JsonProperty("mediumType") String mediumType,
                         @JsonProperty("characteristic") ContactCharacteristic characteristic) {
    }

    record ContactCharacteristic(@JsonProperty("emailAddress") String emailAddress) {
    }

    /** TMF630 error body: every non-2xx answer carries one, never a stack trace. */
    @JsonPropertyOrder({"code", "reason", "message", "status", "@type"})
    record Error(@JsonProperty("code") String code,
                 @JsonProperty("reason") String reason,
                 @JsonProperty("message") String message,
                 @JsonProperty("status") String status,
                 @JsonProperty("@type") String type) {

        static Error of(int status, String message) {
            String code = Integer.toString(status);
            return new Error(code, reason(status), message, code, "Error");
        }

        private static String reason(int status) {
            return switch (status) {
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 408 -> "Request Timeout";
                case 409 -> "Conflict";
                case 413 -> "Payload Too Large";
                case 415 -> "Unsupported Media Type";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> status >= 500 ? "Server Error" : "Client Error";
            };
        }
    }

    /** The sandbox's view of the injected faults ({@code /sandbox/faults}). */
    @JsonPropertyOrder({"latencyMs", "failureStatus", "failNextCount", "failNextStatus", "createOrderFault",
            "cancelOrderFault", "requestCount"})
    record Faults(@JsonProperty("latencyMs") long latencyMs,
                  @JsonProperty("failureStatus") int failureStatus,
                  @JsonProperty("failNextCount") int failNextCount,
                  @JsonProperty("failNextStatus") int failNextStatus,
                  @JsonProperty("createOrderFault") OrderFault createOrderFault,
                  @JsonProperty("cancelOrderFault") OrderFault cancelOrderFault,
                  @JsonProperty("requestCount") long requestCount) {

        static Faults of(BillingFaults faults) {
            return new Faults(faults.latency().toMillis(), faults.failureStatus(), faults.failNextRemaining(),
                    faults.failNextStatus(), OrderFault.of(faults, BillingFaults.OrderStep.CREATE),
                    OrderFault.of(faults, BillingFaults.OrderStep.CANCEL), faults.requestCount());
        }
    }

    /** Pending faults of one kind of product order: {@code status} 0 when they lose the answer instead. */
    @JsonPropertyOrder({"count", "status", "lostResponse"})
    record OrderFault(@JsonProperty("count") int count,
                      @JsonProperty("status") int status,
                      @JsonProperty("lostResponse") boolean lostResponse) {

        static OrderFault of(BillingFaults faults, BillingFaults.OrderStep step) {
            return new OrderFault(faults.orderFaultsRemaining(step), faults.orderFaultStatus(step),
                    faults.orderFaultsRemaining(step) > 0 && faults.orderFaultLosesResponse(step));
        }
    }
}
