package io.provisioninghub.connectors.billing.simulator;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simulator's product inventory in its own PostgreSQL database. Every operation is one statement on a
 * pooled connection: the simulator must serve thousands of lookups per second on two cores.
 */
final class ProductStore implements AutoCloseable {

    /** Flyway location of the stand-in's schema and seed; run by the simulator, never by the hub. */
    static final String MIGRATIONS = "classpath:db/billing-standin";

    private static final String COLUMNS = """
            p.id, p.msisdn, p.status, p.is_bundle, p.start_date, o.id AS offering_id, o.name AS offering_name,
            o.service
            """;
    private static final String BY_MSISDN = "SELECT " + COLUMNS + """
            FROM product p JOIN product_offering o ON o.id = p.offering_id
            WHERE p.msisdn = ?
            ORDER BY p.id
            """;
    private static final String BY_ID = "SELECT " + COLUMNS + """
            FROM product p JOIN product_offering o ON o.id = p.offering_id
            WHERE p.id = ?
            """;
    // One round trip: update, then read the row back with its offering.
    private static final String UPDATE_STATUS = """
            WITH p AS (UPDATE product SET status = ?, last_update = now() WHERE id = ?
                       RETURNING id, msisdn, status, is_bundle, start_date, offering_id)
            SELECT""" + " " + COLUMNS + """
            FROM p JOIN product_offering o ON o.id = p.offering_id
            """;

    private final HikariDataSource pool;

    private ProductStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens the pool and migrates the schema (idempotent: a restart keeps the data). */
    static ProductStore open(BillingSimulatorSettings settings) {
        HikariDataSource pool = new HikariDataSource();
        try {
            pool.setPoolName("billing-standin");
            pool.setJdbcUrl(settings.jdbcUrl());
            pool.setUsername(settings.username());
            pool.setPassword(settings.password());
            pool.setMaximumPoolSize(settings.databaseConnections());
            // A fixed-size pool: no connection is ever opened on the request path.
            pool.setMinimumIdle(settings.databaseConnections());
            pool.setConnectionTimeout(2_000);
            if (settings.jdbcUrl().startsWith("jdbc:postgresql:")) {
                // Keeps row values (MSISDNs) out of PostgreSQL exception messages.
                pool.addDataSourceProperty("logServerErrorDetail", "false");
                pool.addDataSourceProperty("ApplicationName", "billing-standin");
            }
            Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new ProductStore(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    List<StoredProduct> findByMsisdn(String msisdn) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(BY_MSISDN)) {
            s.setString(1, msisdn);
            try (ResultSet rs = s.executeQuery()) {
                List<StoredProduct> products = new ArrayList<>(2);
                while (rs.next()) {
                    products.add(read(rs));
                }
                return products;
            }
        }
    }

    Optional<StoredProduct> findById(long id) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(BY_ID)) {
            s.setLong(1, id);
            return single(s);
        }
    }

    Optional<StoredProduct> updateStatus(long id, String status) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(UPDATE_STATUS)) {
            s.setString(1, status);
            s.setLong(2, id);
            return single(s);
        }
    }

    private static Optional<StoredProduct> single(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static StoredProduct read(ResultSet rs) throws SQLException {
        Timestamp start = rs.getTimestamp("start_date");
        return new StoredProduct(rs.getLong("id"), rs.getString("msisdn"), rs.getString("status"),
                rs.getBoolean("is_bundle"), start.toInstant(), rs.getString("offering_id"),
                rs.getString("offering_name"), rs.getString("service"));
    }

    /** The same pool for the catalogue and the orders ({@link OrderStore}): one database, one pool. */
    javax.sql.DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
