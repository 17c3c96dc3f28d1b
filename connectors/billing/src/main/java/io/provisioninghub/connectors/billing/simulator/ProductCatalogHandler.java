package io.provisioninghub.connectors.billing.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TMF620 Product Catalog Management v4, the part sign-up uses (SIGNUP-2/3, INT-2): the plans a customer can
 * choose from.
 * <ul>
 *   <li>{@code GET /tmf-api/productCatalogManagement/v4/productOffering}: every plan, in catalogue order</li>
 *   <li>{@code GET /tmf-api/productCatalogManagement/v4/productOffering/{id}}: one plan, or 404</li>
 * </ul>
 * Only plans are listed: the per-service offerings they bundle ({@code ims}, {@code messaging}) are not sold
 * on their own. No query parameters: a filter silently ignored would answer more than was asked for.
 */
final class ProductCatalogHandler extends TmfApiHandler {

    static final String PATH = "/tmf-api/productCatalogManagement/v4/productOffering";

    private final OrderStore store;
    private final String hrefBase;

    ProductCatalogHandler(OrderStore store, BillingFaults faults, String baseUrl) {
        super(faults);
        this.store = store;
        this.hrefBase = baseUrl + PATH;
    }

    @Override
    void dispatch(HttpExchange exchange) throws IOException, BadRequest, SQLException {
        String path = exchange.getRequestURI().getRawPath();
        if (!exchange.getRequestMethod().equals("GET")) {
            if (path.equals(PATH) || path.equals(PATH + "/") || path.startsWith(PATH + "/")) {
                HttpExchanges.sendMethodNotAllowed(exchange, "GET");
            } else {
                HttpExchanges.sendError(exchange, 404, "no such resource");
            }
            return;
        }
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            if (!HttpExchanges.queryParameters(exchange).isEmpty()) {
                throw new BadRequest("the product offering list takes no query parameters");
            }
            List<TmfJson.ProductOffering> offerings = new ArrayList<>();
            for (OrderStore.StoredPlan plan : store.plans()) {
                offerings.add(TmfJson.ProductOffering.of(plan, hrefBase));
            }
            exchange.getResponseHeaders().set("X-Total-Count", Integer.toString(offerings.size()));
            exchange.getResponseHeaders().set("X-Result-Count", Integer.toString(offerings.size()));
            HttpExchanges.sendJson(exchange, 200, offerings);
        } else if (path.startsWith(PATH + "/")) {
            String id = path.substring(PATH.length() + 1);
            Optional<OrderStore.StoredPlan> plan = id.isEmpty() || id.length() > 100 || id.contains("/")
                    ? Optional.empty() : store.plan(id);
            if (plan.isEmpty()) {
                HttpExchanges.sendError(exchange, 404, "no such product offering");
                return;
            }
            HttpExchanges.sendJson(exchange, 200, TmfJson.ProductOffering.of(plan.get(), hrefBase));
        } else {
            HttpExchanges.sendError(exchange, 404, "no such resource");
        }
    }
}
