package io.provisioninghub.connectors.hlr;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link HlrProvisioning} over the HLR's JDBC pool (INT-1 "IMSI/MSISDN pools", SIGNUP-2/3/4), on the hub extension
 * tables of {@code V5__number_pools.sql}: {@code imsi_pool}, {@code msisdn_pool} and {@code subscriber_allocation}.
 * <p>
 * Each call is one transaction of its own on {@code hlrDataSource} (READ COMMITTED, PostgreSQL's default), with its own
 * transaction manager: the hub's transactions are on another database and cannot include this one.
 * <ul>
 *   <li>The idempotency key is claimed first, with {@code INSERT ... ON CONFLICT DO NOTHING} on its primary key: a
 *       second caller with the same key waits on the first one's uncommitted row and then finds it committed (and
 *       returns it) or gone (the first rolled back, and it allocates itself). So one key, one subscriber, whatever
 *       the number of replicas.</li>
 *   <li>Numbers are taken with {@code UPDATE pool ... WHERE number = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1)
 *       RETURNING}: concurrent allocations skip each other's locked candidates instead of queueing on the same
 *       row, and no number is handed out twice.</li>
 * </ul>
 * SQL failures become {@link HlrUnavailableException} whose message names only the operation and the exception type
 * (a JDBC message may quote the statement's values: IMSI, K).
 */
public class JdbcHlrProvisioning implements HlrProvisioning {

    /** MILENAGE in OsmoHLR's enum osmo_auth_algo. */
    static final int MILENAGE = 5;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HEX_128 = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern IMSI = Pattern.compile("[0-9]{6,15}");

    // The candidate subquery walks the partial index (available_at, number) WHERE state <> 'allocated': the oldest
    // available number first. A number that some subscriber already has (put in by hand, or the pool overlaps a
    // range in use) is skipped rather than failing every allocation on the subscriber table's UNIQUE constraint.
    private static final String TAKE_IMSI = """
            UPDATE imsi_pool SET state = 'allocated', allocation_key = ?, available_at = now()
             WHERE imsi = (SELECT p.imsi FROM imsi_pool p
                            WHERE p.state <> 'allocated' AND p.available_at <= now()
                              AND NOT EXISTS (SELECT 1 FROM subscriber s WHERE s.imsi = p.imsi)
                            ORDER BY p.available_at, p.imsi
                            LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING imsi""";
    private static final String TAKE_MSISDN = """
            UPDATE msisdn_pool SET state = 'allocated', allocation_key = ?, available_at = now()
             WHERE msisdn = (SELECT p.msisdn FROM msisdn_pool p
                              WHERE p.state <> 'allocated' AND p.available_at <= now()
                                AND NOT EXISTS (SELECT 1 FROM subscriber s WHERE s.msisdn = p.msisdn)
                              ORDER BY p.available_at, p.msisdn
                              LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING msisdn""";
    private static final String FIND_BY_KEY = """
            SELECT a.imsi, a.msisdn, c.k, c.opc
              FROM subscriber_allocation a
              LEFT JOIN auc_3g c ON c.subscriber_id = a.subscriber_id
             WHERE a.allocation_key = ? AND a.state = 'allocated'""";
    private static final String POOL_COUNTS = """
            SELECT count(*) FILTER (WHERE state <> 'allocated' AND available_at <= now()),
                   count(*) FILTER (WHERE state = 'allocated'),
                   count(*) FILTER (WHERE state <> 'allocated' AND available_at > now())
              FROM %s""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Duration quarantine;

    /**
     * @param hlrDataSource the HLR's pool
     * @param quarantine    how long a released number stays out of the pool ({@code hub.hlr.pools.quarantine})
     */
    public JdbcHlrProvisioning(DataSource hlrDataSource, Duration quarantine) {
        if (quarantine == null || quarantine.isNegative()) {
            throw new IllegalArgumentException("quarantine must be zero or positive");
        }
        this.jdbc = new JdbcTemplate(hlrDataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(hlrDataSource));
        this.quarantine = quarantine;
    }

    @Override
    public ProvisionedSubscriber allocate(String key, String kHex, String opcHex) {
        requireKey(key);
        if (kHex == null || !HEX_128.matcher(kHex).matches()) {
            throw new IllegalArgumentException("K must be 32 hex digits");
        }
        if (opcHex == null || !HEX_128.matcher(opcHex).matches()) {
            throw new IllegalArgumentException("OPc must be 32 hex digits");
        }
        return inTransaction("allocation", () -> {
            // Claims the key; waits for a concurrent claim of the same key to commit or roll back.
            int claimed = jdbc.update("INSERT INTO subscriber_allocation (allocation_key, state, allocated_at) "
                    + "VALUES (?, 'allocating', now()) ON CONFLICT (allocation_key) DO NOTHING", key);
            if (claimed == 0) {
                // READ COMMITTED: this statement sees the row committed by the claim we waited for.
                List<String> state = jdbc.queryForList(
                        "SELECT state FROM subscriber_allocation WHERE allocation_key = ?", String.class, key);
                if (state.isEmpty()) {
                    // Released and deleted in between cannot happen (rows are never deleted); be explicit anyway.
                    throw new HlrUnavailableException("HLR allocation failed: the key's row vanished", null);
                }
                if ("released".equals(state.get(0))) {
                    throw new AllocationReleasedException();
                }
                return findAllocated(key).orElseThrow(() ->
                        new HlrUnavailableException("HLR allocation failed: the key's allocation is incomplete", null));
            }
            // A PoolExhaustedException rolls back the claim too: the key stays free for a retry once numbers exist.
            String imsi = take(TAKE_IMSI, key, "IMSI");
            String msisdn = take(TAKE_MSISDN, key, "MSISDN");
            Long subscriberId = jdbc.queryForObject(
                    "INSERT INTO subscriber (imsi, msisdn) VALUES (?, ?) RETURNING id", Long.class, imsi, msisdn);
            jdbc.update("INSERT INTO auc_3g (subscriber_id, algo_id_3g, k, opc, credential_updated_at) "
                    + "VALUES (?, ?, ?, ?, now())", subscriberId, MILENAGE, kHex.toLowerCase(), opcHex.toLowerCase());
            jdbc.update("UPDATE subscriber_allocation SET state = 'allocated', imsi = ?, msisdn = ?, subscriber_id = ? "
                    + "WHERE allocation_key = ?", imsi, msisdn, subscriberId, key);
            return new ProvisionedSubscriber(key, imsi, "+" + msisdn, kHex.toLowerCase(), opcHex.toLowerCase());
        });
    }

    @Override
    public Optional<ProvisionedSubscriber> findByKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        try {
            return findAllocated(key);
        } catch (DataAccessException e) {
            throw unavailable("lookup by key", e);
        }
    }

    @Override
    public boolean release(String key) {
        requireKey(key);
        return inTransaction("release", () -> {
            // An unknown key becomes a released one (a tombstone): an allocation still in flight under it waits on
            // this row, then finds it released and allocates nothing. Either way the row is now locked by us.
            int tombstone = jdbc.update("INSERT INTO subscriber_allocation (allocation_key, state, released_at) "
                    + "VALUES (?, 'released', now()) ON CONFLICT (allocation_key) DO NOTHING", key);
            if (tombstone == 1) {
                return false;
            }
            List<Long> allocated = jdbc.queryForList("SELECT subscriber_id FROM subscriber_allocation "
                    + "WHERE allocation_key = ? AND state = 'allocated' FOR UPDATE", Long.class, key);
            if (allocated.isEmpty()) {
                return false;
            }
            // ON DELETE CASCADE removes auc_2g/auc_3g, barring, opt-outs, APNs and extra MSISDNs with it.
            jdbc.update("DELETE FROM subscriber WHERE id = ?", allocated.get(0));
            Object[] args = {quarantine.toMillis() / 1000.0, key};
            String toQuarantine = " SET state = 'quarantined', allocation_key = NULL, "
                    + "available_at = now() + make_interval(secs => ?) WHERE allocation_key = ?";
            jdbc.update("UPDATE imsi_pool" + toQuarantine, args);
            jdbc.update("UPDATE msisdn_pool" + toQuarantine, args);
            jdbc.update("UPDATE subscriber_allocation SET state = 'released', released_at = now() "
                    + "WHERE allocation_key = ?", key);
            return true;
        });
    }

    @Override
    public boolean revokeCredential(String imsi) {
        if (imsi == null || !IMSI.matcher(imsi).matches()) {
            return false;
        }
        return inTransaction("credential revocation", () -> {
            List<Long> ids = jdbc.queryForList("SELECT id FROM subscriber WHERE imsi = ? FOR UPDATE", Long.class, imsi);
            if (ids.isEmpty()) {
                return false;
            }
            long id = ids.get(0);
            // Without auc rows the HLR cannot produce authentication vectors: the old SIM/profile stops attaching.
            jdbc.update("DELETE FROM auc_3g WHERE subscriber_id = ?", id);
            jdbc.update("DELETE FROM auc_2g WHERE subscriber_id = ?", id);
            // And the hub itself refuses it every service (RCC.14 2.2.4 case 4) until it is provisioned again.
            jdbc.update("INSERT INTO subscriber_barring (subscriber_id, service) VALUES (?, '*') "
                    + "ON CONFLICT DO NOTHING", id);
            return true;
        });
    }

    @Override
    public PoolStatus poolStatus() {
        try {
            return new PoolStatus(counts("imsi_pool"), counts("msisdn_pool"));
        } catch (DataAccessException e) {
            throw unavailable("pool status", e);
        }
    }

    private PoolCounts counts(String table) {
        return jdbc.queryForObject(String.format(POOL_COUNTS, table),
                (rs, row) -> new PoolCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    private Optional<ProvisionedSubscriber> findAllocated(String key) {
        return jdbc.query(FIND_BY_KEY, (rs, row) -> new ProvisionedSubscriber(key, rs.getString(1),
                        "+" + rs.getString(2), rs.getString(3), rs.getString(4)), key)
                .stream().findFirst();
    }

    private String take(String sql, String key, String pool) {
        List<String> taken = jdbc.queryForList(sql, String.class, key);
        if (taken.isEmpty()) {
            throw new PoolExhaustedException(pool);
        }
        return taken.get(0);
    }

    private static void requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("the key must be 1-64 of [A-Za-z0-9._-]");
        }
    }

    private <T> T inTransaction(String operation, Supplier<T> work) {
        try {
            return transactions.execute(status -> work.get());
        } catch (DataAccessException | TransactionException e) {
            // CannotCreateTransactionException (no connection) is a TransactionException, not a DataAccessException.
            throw unavailable(operation, e);
        }
    }

    private static HlrUnavailableException unavailable(String operation, RuntimeException e) {
        return new HlrUnavailableException("HLR " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }
}
