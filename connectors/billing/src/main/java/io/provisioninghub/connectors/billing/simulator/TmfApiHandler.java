package io.provisioninghub.connectors.billing.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;

/**
 * What every TMF API resource of the stand-in does around its own work: count the request, inject the
 * request-wide faults ({@link BillingFaults}) before anything else, and turn failures into TMF error bodies
 * (400 for bad input, 500 for an internal failure), never a stack trace. Nothing logged here names a
 * subscriber or a customer.
 */
abstract class TmfApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TmfApiHandler.class);

    protected final BillingFaults faults;

    TmfApiHandler(BillingFaults faults) {
        this.faults = faults;
    }

    /** Serves one request whose faults did not answer it. */
    abstract void dispatch(HttpExchange exchange) throws IOException, BadRequest, SQLException;

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try {
            faults.countRequest();
            if (!injectFaults(exchange)) {
                dispatch(exchange);
            }
        } catch (BadRequest e) {
            HttpExchanges.sendError(exchange, e.status, e.getMessage());
        } catch (SQLException e) {
            // The SQL state says what went wrong; the message could carry row values.
            LOG.warn("Billing stand-in database failure (SQL state {})", e.getSQLState());
            HttpExchanges.sendError(exchange, 500, "internal error");
        } catch (InterruptedException e) {
            // The simulator is closing while this request sleeps through injected latency.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (e.g. it timed out during injected latency): nobody to answer.
            LOG.debug("Billing stand-in could not answer: {}", e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("Billing stand-in failure: {}", e.getClass().getName());
            HttpExchanges.sendError(exchange, 500, "internal error");
        } finally {
            exchange.close();
        }
    }

    /** @return true when a fault answered the request */
    private boolean injectFaults(HttpExchange exchange) throws IOException, InterruptedException {
        long latencyMillis = faults.latency().toMillis();
        if (latencyMillis > 0) {
            Thread.sleep(latencyMillis);
        }
        int status = faults.statusToFailWith();
        if (status != 0) {
            HttpExchanges.sendError(exchange, status, "injected fault");
            return true;
        }
        return false;
    }

    /** Ids are numbers here; anything else cannot name a resource (404, not 400: ids are opaque). */
    static java.util.Optional<Long> numericId(String segment) {
        if (segment.isEmpty() || segment.length() > 18) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(Long.parseLong(segment));
    }
}
