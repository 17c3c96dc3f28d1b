package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    @JsonPropertyOrder({"latencyMs", "failureStatus", "failNextCount", "failNextStatus", "requestCount"})
    record Faults(@JsonProperty("latencyMs") long latencyMs,
                  @JsonProperty("failureStatus") int failureStatus,
                  @JsonProperty("failNextCount") int failNextCount,
                  @JsonProperty("failNextStatus") int failNextStatus,
                  @JsonProperty("requestCount") long requestCount) {

        static Faults of(BillingFaults faults) {
            return new Faults(faults.latency().toMillis(), faults.failureStatus(), faults.failNextRemaining(),
                    faults.failNextStatus(), faults.requestCount());
        }
    }
}
