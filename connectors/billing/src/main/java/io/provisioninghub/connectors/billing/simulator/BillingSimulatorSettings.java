package io.provisioninghub.connectors.billing.simulator;

import java.util.Objects;

/**
 * How to run a {@link BillingSimulator}.
 *
 * @param port                TCP port on loopback; 0 takes any free port ({@link BillingSimulator#port()} tells which)
 * @param jdbcUrl             the simulator's own PostgreSQL database; its schema and seed are migrated at start
 * @param username            database user
 * @param password            database password; kept out of {@link #toString()}
 * @param threads             HTTP worker threads: the most requests served at once
 * @param databaseConnections pooled connections to the database; each lookup holds one for one query
 */
public record BillingSimulatorSettings(int port, String jdbcUrl, String username, String password,
                                       int threads, int databaseConnections) {

    /** Enough to keep two cores busy while some requests wait on PostgreSQL or on injected latency. */
    public static final int DEFAULT_THREADS = 16;
    /** More connections than cores only adds contention inside PostgreSQL on a small sandbox. */
    public static final int DEFAULT_DATABASE_CONNECTIONS = 8;

    public BillingSimulatorSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("jdbcUrl must not be blank");
        }
        if (threads < 1 || databaseConnections < 1) {
            throw new IllegalArgumentException("threads and databaseConnections must be at least 1");
        }
        password = password == null ? "" : password;
    }

    /** Settings with the default thread and connection counts. */
    public static BillingSimulatorSettings of(int port, String jdbcUrl, String username, String password) {
        return new BillingSimulatorSettings(port, jdbcUrl, username, password,
                DEFAULT_THREADS, DEFAULT_DATABASE_CONNECTIONS);
    }

    // Records print every component; this one must never print the password.
    @Override
    public String toString() {
        return "BillingSimulatorSettings[port=" + port + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", password=" + (password.isEmpty() ? "(none)" : "******")
                + ", threads=" + threads + ", databaseConnections=" + databaseConnections + "]";
    }
}
