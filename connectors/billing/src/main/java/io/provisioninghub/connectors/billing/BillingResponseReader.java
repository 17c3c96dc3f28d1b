package io.provisioninghub.connectors.billing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns billing's answer to {@code GET .../product?relatedParty.id=...} into the lookup's result
 * ({@code Optional<List<BillingProduct>>} in the body), or into the exception that says why there is none:
 * <ul>
 *   <li>200 with {@code []}, or 404: billing does not know the subscriber, {@link Optional#empty()};</li>
 *   <li>200 with products: each mapped through its {@code service} characteristic and
 *       {@link ProductStatus#fromWire}; a product without either is skipped with a warning;</li>
 *   <li>5xx: {@link BillingServerErrorException} (transient, retried);</li>
 *   <li>anything else, or a body that is not a product list: {@link BillingResponseException}.</li>
 * </ul>
 * Its own {@link ObjectMapper}: billing's wire format must not change with the application's JSON settings.
 */
final class BillingResponseReader implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BillingResponseReader.class);
    /** Characteristic that names the hub service a product entitles to. */
    static final String SERVICE_CHARACTERISTIC = "service";
    // Only a status that looks like a state name is quoted in a warning; anything else could be data.
    private static final Pattern PRINTABLE_STATUS = Pattern.compile("[A-Za-z]{1,32}");

    private final ObjectReader productList = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readerForListOf(TmfProduct.class);

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 200) {
            message.setBody(read(message.getBody(byte[].class)));
        } else if (status == 404) {
            message.setBody(Optional.empty());
        } else if (status >= 500 && status <= 599) {
            throw new BillingServerErrorException(status);
        } else {
            throw new BillingResponseException("billing answered HTTP " + status + " to a product inventory query");
        }
    }

    Optional<List<BillingProduct>> read(byte[] json) {
        if (json == null || json.length == 0) {
            throw new BillingResponseException("billing answered 200 without a body");
        }
        List<TmfProduct> products;
        try {
            products = productList.readValue(json);
        } catch (JacksonException e) {
            // Neither the parser's message nor the body is kept: both may quote subscriber identifiers.
            throw new BillingResponseException("billing answered 200 with a body that is not a TMF637 product list ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new BillingResponseException("billing's answer could not be read");
        }
        if (products == null) {
            throw new BillingResponseException("billing answered 200 with null instead of a product list");
        }
        if (products.isEmpty()) {
            return Optional.empty();
        }
        // A subscriber billing knows, but whose products are all unusable, is known and entitled to nothing.
        List<BillingProduct> mapped = new ArrayList<>(products.size());
        for (TmfProduct product : products) {
            BillingProduct p = map(product);
            if (p != null) {
                mapped.add(p);
            }
        }
        return Optional.of(List.copyOf(mapped));
    }

    private static BillingProduct map(TmfProduct product) {
        if (product == null || product.id() == null || product.id().isEmpty()) {
            LOG.warn("Skipped a billing product without an id");
            return null;
        }
        ProductStatus status;
        try {
            status = ProductStatus.fromWire(product.status());
        } catch (IllegalArgumentException e) {
            String shown = product.status() != null && PRINTABLE_STATUS.matcher(product.status()).matches()
                    ? "'" + product.status() + "'" : "(not shown)";
            LOG.warn("Skipped a billing product whose status {} is not a TMF637 product status", shown);
            return null;
        }
        String service = service(product);
        if (service == null) {
            LOG.warn("Skipped a billing product without a textual '{}' characteristic", SERVICE_CHARACTERISTIC);
            return null;
        }
        return new BillingProduct(product.id(), service, status);
    }

    private static String service(TmfProduct product) {
        if (product.productCharacteristic() == null) {
            return null;
        }
        for (TmfCharacteristic c : product.productCharacteristic()) {
            if (c != null && SERVICE_CHARACTERISTIC.equals(c.name()) && c.value() != null && c.value().isTextual()
                    && !c.value().textValue().isBlank()) {
                return c.value().textValue();
            }
        }
        return null;
    }

    /** The part of a TMF637 Product the hub reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TmfProduct(@JsonProperty("id") String id,
                      @JsonProperty("status") String status,
                      @JsonProperty("productCharacteristic") List<TmfCharacteristic> productCharacteristic) {
    }

    /** A TMF637 Characteristic; its value is "any" JSON, and only a string names a service. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TmfCharacteristic(@JsonProperty("name") String name, @JsonProperty("value") JsonNode value) {
    }
}
