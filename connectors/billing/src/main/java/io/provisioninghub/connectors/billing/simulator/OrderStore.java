package io.provisioninghub.connectors.billing.simulator;

import io.provisioninghub.connectors.billing.simulator.HttpExchanges.BadRequest;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stand-in's plans (TMF620) and product orders (TMF622) in its own PostgreSQL database, next to the
 * product inventory. An order is created, its products created or terminated, and the order completed in one
 * transaction: the stand-in never holds half an order, and a test that sees an order also sees its products.
 * <p>
 * Idempotency by {@code externalId} (unique column): a second order with the same key is never created; the
 * caller gets the first one back ({@link Placed#created()} false), even when both arrive at the same moment.
 */
final class OrderStore {

    private static final String PLAN_COLUMNS = """
            p.id, p.name, p.description, p.price_amount, p.price_currency,
            o.id AS offering_id, o.name AS offering_name, o.service
            FROM plan p JOIN plan_offering po ON po.plan_id = p.id JOIN product_offering o ON o.id = po.offering_id
            """;
    private static final String ALL_PLANS = "SELECT " + PLAN_COLUMNS + " ORDER BY p.position, o.id";
    private static final String ONE_PLAN = "SELECT " + PLAN_COLUMNS + " WHERE p.id = ? ORDER BY o.id";

    private static final String ORDER_COLUMNS = """
            SELECT o.id, o.external_id, o.action, o.state, o.plan_id, pl.name AS plan_name, o.msisdn,
                   o.customer_name, o.customer_email, o.order_date, o.completion_date,
                   i.item_id, i.product_id, pr.status AS product_status,
                   off.id AS offering_id, off.name AS offering_name, off.service
            FROM product_order o
            LEFT JOIN plan pl ON pl.id = o.plan_id
            LEFT JOIN product_order_item i ON i.order_id = o.id
            LEFT JOIN product pr ON pr.id = i.product_id
            LEFT JOIN product_offering off ON off.id = pr.offering_id
            """;
    private static final String ORDER_BY_ID = ORDER_COLUMNS
            + " WHERE o.id = ? ORDER BY length(i.item_id), i.item_id";
    private static final String ORDER_BY_EXTERNAL_ID = ORDER_COLUMNS
            + " WHERE o.external_id = ? ORDER BY length(i.item_id), i.item_id";

    // Serialises orders for one number, so two different keys cannot both pass the "already subscribed" check.
    private static final String LOCK_NUMBER = "SELECT pg_advisory_xact_lock(hashtext(?))";
    private static final String LIVE_PRODUCT = """
            SELECT 1 FROM product WHERE msisdn = ? AND status NOT IN ('terminated', 'cancelled', 'aborted') LIMIT 1
            """;
    private static final String INSERT_ADD = """
            INSERT INTO product_order (external_id, action, state, plan_id, msisdn, customer_name, customer_email,
                                       completion_date)
            VALUES (?, 'add', 'completed', ?, ?, ?, ?, now())
            ON CONFLICT (external_id) DO NOTHING
            RETURNING id
            """;
    private static final String INSERT_DELETE = """
            INSERT INTO product_order (external_id, action, state, completion_date)
            VALUES (?, 'delete', 'completed', now())
            ON CONFLICT (external_id) DO NOTHING
            RETURNING id
            """;
    private static final String INSERT_PRODUCT =
            "INSERT INTO product (msisdn, offering_id, status) VALUES (?, ?, 'active') RETURNING id";
    private static final String INSERT_ITEM =
            "INSERT INTO product_order_item (order_id, item_id, product_id) VALUES (?, ?, ?)";
    private static final String COUNT_PRODUCTS = "SELECT count(*) FROM product WHERE id = ANY (?)";
    private static final String TERMINATE = """
            UPDATE product SET status = 'terminated', last_update = now()
            WHERE id = ANY (?) AND status NOT IN ('terminated', 'cancelled', 'aborted')
            """;

    private final DataSource pool;

    OrderStore(DataSource pool) {
        this.pool = pool;
    }

    /** A plan (TMF620 bundled ProductOffering) with the per-service offerings it bundles. */
    record StoredPlan(String id, String name, String description, BigDecimal price, String currency,
                      List<StoredOffering> offerings) {
    }

    record StoredOffering(String id, String name, String service) {
    }

    /** A product order with the products it created (add) or terminated (delete), in item order. */
    record StoredOrder(long id, String externalId, String action, String state, String planId, String planName,
                       String msisdn, String customerName, String customerEmail, Instant orderDate,
                       Instant completionDate, List<StoredItem> items) {

        List<Long> productIds() {
            List<Long> ids = new ArrayList<>(items.size());
            for (StoredItem item : items) {
                ids.add(item.productId());
            }
            return ids;
        }
    }

    record StoredItem(String itemId, long productId, String productStatus, String offeringId, String offeringName,
                      String service) {
    }

    /** @param created false when the external id had been used already: {@code order} is the earlier order */
    record Placed(StoredOrder order, boolean created) {
    }

    List<StoredPlan> plans() throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(ALL_PLANS)) {
            return readPlans(s);
        }
    }

    Optional<StoredPlan> plan(String id) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return plan(c, id);
        }
    }

    Optional<StoredOrder> order(long id) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(ORDER_BY_ID)) {
            s.setLong(1, id);
            return readOrder(s);
        }
    }

    Optional<StoredOrder> orderByExternalId(String externalId) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return orderByExternalId(c, externalId);
        }
    }

    /**
     * An "add" order: the plan's products for {@code msisdn}, active at once, and the order completed.
     *
     * @throws BadRequest 400 for an unknown plan, 409 when the number already has a live subscription
     */
    Placed placeAddOrder(String externalId, String planId, String msisdn, String customerName,
                         String customerEmail) throws SQLException, BadRequest {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                // The lock first: a replay of the same order then waits for the first one and finds it.
                try (PreparedStatement lock = c.prepareStatement(LOCK_NUMBER)) {
                    lock.setString(1, msisdn);
                    lock.execute();
                }
                Optional<StoredOrder> existing = orderByExternalId(c, externalId);
                if (existing.isPresent()) {
                    c.commit();
                    return new Placed(existing.get(), false);
                }
                StoredPlan plan = plan(c, planId).orElseThrow(
                        () -> new BadRequest("productOffering.id names no plan of the catalogue"));
                try (PreparedStatement live = c.prepareStatement(LIVE_PRODUCT)) {
                    live.setString(1, msisdn);
                    try (ResultSet rs = live.executeQuery()) {
                        if (rs.next()) {
                            throw new BadRequest(409, "the number to bill already has a subscription");
                        }
                    }
                }
                Long orderId;
                try (PreparedStatement insert = c.prepareStatement(INSERT_ADD)) {
                    insert.setString(1, externalId);
                    insert.setString(2, plan.id());
                    insert.setString(3, msisdn);
                    insert.setString(4, customerName);
                    insert.setString(5, customerEmail);
                    orderId = returnedId(insert);
                }
                if (orderId == null) {
                    // The same key, committed by a concurrent request since the check above.
                    c.rollback();
                    return new Placed(orderByExternalId(c, externalId).orElseThrow(), false);
                }
                int n = 0;
                for (StoredOffering offering : plan.offerings()) {
                    long productId;
                    try (PreparedStatement product = c.prepareStatement(INSERT_PRODUCT)) {
                        product.setString(1, msisdn);
                        product.setString(2, offering.id());
                        productId = returnedId(product);
                    }
                    insertItem(c, orderId, "1." + (++n), productId);
                }
                StoredOrder order = order(c, orderId);
                c.commit();
                return new Placed(order, true);
            } catch (SQLException | BadRequest | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A "delete" order: the products terminated (those already ended stay as they are) and the order completed.
     *
     * @throws BadRequest 400 when an id names no product
     */
    Placed placeDeleteOrder(String externalId, List<Long> productIds) throws SQLException, BadRequest {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<StoredOrder> existing = orderByExternalId(c, externalId);
                if (existing.isPresent()) {
                    c.commit();
                    return new Placed(existing.get(), false);
                }
                Array ids = c.createArrayOf("bigint", productIds.toArray());
                try (PreparedStatement count = c.prepareStatement(COUNT_PRODUCTS)) {
                    count.setArray(1, ids);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) != productIds.size()) {
                            throw new BadRequest("a delete item's product.id names no product");
                        }
                    }
                }
                Long orderId;
                try (PreparedStatement insert = c.prepareStatement(INSERT_DELETE)) {
                    insert.setString(1, externalId);
                    orderId = returnedId(insert);
                }
                if (orderId == null) {
                    c.rollback();
                    return new Placed(orderByExternalId(c, externalId).orElseThrow(), false);
                }
                try (PreparedStatement terminate = c.prepareStatement(TERMINATE)) {
                    terminate.setArray(1, ids);
                    terminate.executeUpdate();
                }
                int n = 0;
                for (long productId : productIds) {
                    insertItem(c, orderId, Integer.toString(++n), productId);
                }
                StoredOrder order = order(c, orderId);
                c.commit();
                return new Placed(order, true);
            } catch (SQLException | BadRequest | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void insertItem(Connection c, long orderId, String itemId, long productId) throws SQLException {
        try (PreparedStatement item = c.prepareStatement(INSERT_ITEM)) {
            item.setLong(1, orderId);
            item.setString(2, itemId);
            item.setLong(3, productId);
            item.executeUpdate();
        }
    }

    private static Long returnedId(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static Optional<StoredPlan> plan(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ONE_PLAN)) {
            s.setString(1, id);
            List<StoredPlan> plans = readPlans(s);
            return plans.isEmpty() ? Optional.empty() : Optional.of(plans.get(0));
        }
    }

    private static StoredOrder order(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ORDER_BY_ID)) {
            s.setLong(1, id);
            return readOrder(s).orElseThrow();
        }
    }

    private static Optional<StoredOrder> orderByExternalId(Connection c, String externalId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ORDER_BY_EXTERNAL_ID)) {
            s.setString(1, externalId);
            return readOrder(s);
        }
    }

    private static List<StoredPlan> readPlans(PreparedStatement s) throws SQLException {
        // One row per (plan, offering), grouped back into plans in the query's order.
        Map<String, StoredPlan> plans = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                StoredPlan plan = plans.get(rs.getString("id"));
                if (plan == null) {
                    plan = new StoredPlan(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                            rs.getBigDecimal("price_amount"), rs.getString("price_currency"), new ArrayList<>());
                    plans.put(plan.id(), plan);
                }
                plan.offerings().add(new StoredOffering(rs.getString("offering_id"), rs.getString("offering_name"),
                        rs.getString("service")));
            }
        }
        List<StoredPlan> result = new ArrayList<>(plans.size());
        for (StoredPlan p : plans.values()) {
            result.add(new StoredPlan(p.id(), p.name(), p.description(), p.price(), p.currency(),
                    List.copyOf(p.offerings())));
        }
        return result;
    }

    private static Optional<StoredOrder> readOrder(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long id = rs.getLong("id");
            String externalId = rs.getString("external_id");
            String action = rs.getString("action");
            String state = rs.getString("state");
            String planId = rs.getString("plan_id");
            String planName = rs.getString("plan_name");
            String msisdn = rs.getString("msisdn");
            String customerName = rs.getString("customer_name");
            String customerEmail = rs.getString("customer_email");
            Instant orderDate = rs.getTimestamp("order_date").toInstant();
            Timestamp completion = rs.getTimestamp("completion_date");
            List<StoredItem> items = new ArrayList<>();
            do {
                String itemId = rs.getString("item_id");
                if (itemId != null) {
                    items.add(new StoredItem(itemId, rs.getLong("product_id"), rs.getString("product_status"),
                            rs.getString("offering_id"), rs.getString("offering_name"), rs.getString("service")));
                }
            } while (rs.next());
            return Optional.of(new StoredOrder(id, externalId, action, state, planId, planName, msisdn,
                    customerName, customerEmail, orderDate, completion == null ? null : completion.toInstant(),
                    List.copyOf(items)));
        }
    }
}
