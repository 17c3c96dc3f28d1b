package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.provisioninghub.connectors.billing.ProductStatus;
import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TMF637 Product Inventory v4, the part the hub uses:
 * <ul>
 *   <li>{@code GET  /tmf-api/productInventory/v4/product?relatedParty.id=<E.164>}: the subscriber's products
 *       ({@code []} when billing does not know the subscriber)</li>
 *   <li>{@code GET  /tmf-api/productInventory/v4/product/{id}}: one product, or 404</li>
 *   <li>{@code PATCH /tmf-api/productInventory/v4/product/{id}} with {@code {"status":"..."}}: changes its status</li>
 * </ul>
 * Injected faults and errors: {@link TmfApiHandler}.
 */
final class ProductInventoryHandler extends TmfApiHandler {

    static final String PATH = "/tmf-api/productInventory/v4/product";

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final String RELATED_PARTY_ID = "relatedParty.id";

    private final ProductStore store;
    private final String hrefBase;

    ProductInventoryHandler(ProductStore store, BillingFaults faults, String baseUrl) {
        super(faults);
        this.store = store;
        this.hrefBase = baseUrl + PATH;
    }

    @Override
    void dispatch(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            if (!method.equals("GET")) {
                HttpExchanges.sendMethodNotAllowed(exchange, "GET");
                return;
            }
            list(exchange);
        } else if (path.startsWith(PATH + "/")) {
            Optional<Long> id = numericId(path.substring(PATH.length() + 1));
            switch (method) {
                case "GET" -> get(exchange, id);
                case "PATCH" -> patch(exchange, id);
                default -> HttpExchanges.sendMethodNotAllowed(exchange, "GET, PATCH");
            }
        } else {
            // The context also receives /tmf-api/productInventory/v4/productXyz: JDK contexts match prefixes.
            HttpExchanges.sendError(exchange, 404, "no such resource");
        }
    }

    private void list(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        Map<String, List<String>> query = HttpExchanges.queryParameters(exchange);
        for (String name : query.keySet()) {
            if (!name.equals(RELATED_PARTY_ID)) {
                // Silently ignoring a filter would answer more than was asked for.
                throw new BadRequest("unsupported query parameter; only relatedParty.id is supported");
            }
        }
        List<String> values = query.get(RELATED_PARTY_ID);
        if (values == null) {
            throw new BadRequest("relatedParty.id is required");
        }
        if (values.size() != 1) {
            throw new BadRequest("relatedParty.id must be given once");
        }
        String msisdn = values.get(0);
        if (!E164.matcher(msisdn).matches()) {
            throw new BadRequest("relatedParty.id must be an E.164 number with a leading '+' (URL-encoded as %2B)");
        }
        List<StoredProduct> stored = store.findByMsisdn(msisdn);
        List<TmfJson.Product> products = new ArrayList<>(stored.size());
        for (StoredProduct p : stored) {
            products.add(TmfJson.Product.of(p, hrefBase));
        }
        // TMF630 paging headers: the whole result is always one page here.
        exchange.getResponseHeaders().set("X-Total-Count", Integer.toString(products.size()));
        exchange.getResponseHeaders().set("X-Result-Count", Integer.toString(products.size()));
        HttpExchanges.sendJson(exchange, 200, products);
    }

    private void get(HttpExchange exchange, Optional<Long> id) throws IOException, SQLException {
        Optional<StoredProduct> product = id.isEmpty() ? Optional.empty() : store.findById(id.get());
        if (product.isEmpty()) {
            HttpExchanges.sendError(exchange, 404, "no such product");
            return;
        }
        HttpExchanges.sendJson(exchange, 200, TmfJson.Product.of(product.get(), hrefBase));
    }

    private void patch(HttpExchange exchange, Optional<Long> id) throws IOException, BadRequest, SQLException {
        if (!HttpExchanges.isJsonOrUnspecified(exchange)) {
            throw new BadRequest(415, "send application/merge-patch+json or application/json");
        }
        String status = requestedStatus(HttpExchanges.readBody(exchange));
        Optional<StoredProduct> product = id.isEmpty() ? Optional.empty() : store.updateStatus(id.get(), status);
        if (product.isEmpty()) {
            HttpExchanges.sendError(exchange, 404, "no such product");
            return;
        }
        HttpExchanges.sendJson(exchange, 200, TmfJson.Product.of(product.get(), hrefBase));
    }

    /** The status of a merge-patch body; only {@code status} (and a {@code @type}) may be sent. */
    private static String requestedStatus(byte[] body) throws BadRequest {
        JsonNode patch;
        try {
            patch = TmfJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw new BadRequest("the body could not be read");
        }
        if (patch == null || !patch.isObject()) {
            throw new BadRequest("the body must be a JSON object such as {\"status\":\"terminated\"}");
        }
        for (Iterator<String> names = patch.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("status") && !name.equals("@type")) {
                throw new BadRequest("only status can be changed");
            }
        }
        JsonNode status = patch.get("status");
        if (status == null || !status.isTextual()) {
            throw new BadRequest("status is required and must be a string");
        }
        try {
            return ProductStatus.fromWire(status.textValue()).wireName();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("status must be a TMF637 product status such as active, suspended or terminated");
        }
    }
}
