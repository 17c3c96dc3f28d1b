package io.provisioninghub.connectors.billing.simulator;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The billing stand-in for the sandbox and the tests: a real HTTP/1.1 server on loopback, shaped like TM Forum
 * TMF637 Product Inventory v4 (subscription status and services), TMF620 Product Catalog v4 (the plans) and
 * TMF622 Product Ordering v4 (create and end subscriptions), keeping its data in its own PostgreSQL database
 * (schema and seed migrated by Flyway from {@code db/billing-standin} at start, kept across restarts).
 * <p>
 * It is the JDK's {@link HttpServer} with a bounded worker pool: no framework, so the hub's own web stack and
 * this stand-in cannot interfere, and starting one costs milliseconds. {@link #faults()} (and
 * {@code /sandbox/faults} over HTTP) injects latency and failures.
 */
public final class BillingSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingSimulator.class);
    /** Queued requests beyond the busy workers; past it the accepting thread serves (back-pressure). */
    private static final int QUEUE_CAPACITY = 1_024;
    private static final int BACKLOG = 1_024;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** The JDK server's documented switch for TCP_NODELAY on accepted connections (jdk.httpserver module). */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // Without TCP_NODELAY the JDK server sends headers and body as two segments, and Nagle's algorithm
        // holds the body until the client's delayed ACK (40 ms on Linux): every answer took ~45 ms, measured.
        // The server reads the property once, when the first JDK HttpServer in the JVM is created, so it is
        // set here, before ours; an explicit -Dsun.net.httpserver.nodelay=... is left as it is.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ProductStore store;
    private final BillingFaults faults;
    private final String baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BillingSimulator(HttpServer server, ThreadPoolExecutor workers, ProductStore store,
                             BillingFaults faults, String baseUrl) {
        this.server = server;
        this.workers = workers;
        this.store = store;
        this.faults = faults;
        this.baseUrl = baseUrl;
    }

    /**
     * Migrates the database, then listens on {@code 127.0.0.1:port}.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static BillingSimulator start(BillingSimulatorSettings settings) {
        ProductStore store = ProductStore.open(settings);
        ThreadPoolExecutor workers = null;
        try {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), BACKLOG);
            String baseUrl = "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                    + server.getAddress().getPort();
            // CallerRuns: when every worker is busy and the queue is full, the server's accepting thread serves
            // the request itself, which slows accepting down instead of dropping connections.
            workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUE_CAPACITY), workerThreads(),
                    new ThreadPoolExecutor.CallerRunsPolicy());
            server.setExecutor(workers);
            BillingFaults faults = new BillingFaults();
            OrderStore orders = new OrderStore(store.dataSource());
            server.createContext(ProductInventoryHandler.PATH, new ProductInventoryHandler(store, faults, baseUrl));
            server.createContext(ProductCatalogHandler.PATH, new ProductCatalogHandler(orders, faults, baseUrl));
            server.createContext(ProductOrderHandler.PATH, new ProductOrderHandler(orders, faults, baseUrl));
            server.createContext(FaultsHandler.PATH, new FaultsHandler(faults));
            server.createContext("/", exchange -> {
                try (exchange) {
                    HttpExchanges.sendError(exchange, 404, "no such resource");
                }
            });
            server.start();
            LOG.info("Billing simulator (TMF637 Product Inventory, TMF620 Product Catalog, TMF622 Product Ordering v4)"
                    + " listening on {}", baseUrl);
            return new BillingSimulator(server, workers, store, faults, baseUrl);
        } catch (IOException e) {
            shutDown(workers);
            store.close();
            throw new UncheckedIOException("billing simulator could not listen on port " + settings.port(), e);
        } catch (RuntimeException e) {
            shutDown(workers);
            store.close();
            throw e;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}: what {@code hub.billing.base-url} points at. */
    public String baseUrl() {
        return baseUrl;
    }

    public BillingFaults faults() {
        return faults;
    }

    /** Requests that reached the TMF API (inventory, catalogue, ordering) so far; see {@link BillingFaults#requestCount()}. */
    public long requestCount() {
        return faults.requestCount();
    }

    /** Stops listening, drops open connections and closes the database pool. The data stays in the database. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // 0: do not wait for exchanges in progress; a closed billing is what the tests want to see.
        server.stop(0);
        shutDown(workers);
        store.close();
        LOG.info("Billing simulator on {} stopped", baseUrl);
    }

    private static void shutDown(ThreadPoolExecutor workers) {
        if (workers == null) {
            return;
        }
        // Interrupts requests sleeping through injected latency.
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Billing simulator workers did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory workerThreads() {
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "billing-sim-" + instance + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
