package io.provisioninghub.routes.signup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code signup} table as the HTTP routes see it (SIGNUP-2): a device's current sign-up, a new one from the form,
 * activation. The saga's own transitions are in {@link SignupSaga}.
 */
@Service
class Signups {

    /** States of the saga (docs/flows/signup.md). */
    static final String REQUESTED = "requested";
    static final String HLR_ALLOCATED = "hlr_allocated";
    static final String BILLING_ORDERED = "billing_ordered";
    static final String READY = "ready";
    static final String ACTIVE = "active";
    static final String COMPENSATING = "compensating";
    static final String FAILED = "failed";

    private static final String COLUMNS = "id, state, plan_id, imsi, msisdn, profile_jwe, failure_reason";
    private static final RowMapper<Signup> ROW = (rs, i) -> new Signup(rs.getObject(1, UUID.class), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7));

    private final JdbcTemplate jdbc;

    Signups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A sign-up; identifiers and the JWE stay out of {@link #toString()}. */
    record Signup(UUID id, String state, String planId, String imsi, String msisdn, String profileJwe, String failureReason) {
        boolean inProgress() {
            return REQUESTED.equals(state) || HLR_ALLOCATED.equals(state) || BILLING_ORDERED.equals(state)
                    || COMPENSATING.equals(state);
        }

        @Override
        public String toString() {
            return "Signup[id=" + id + ", state=" + state + "]";
        }
    }

    /** The device's sign-up that has not failed, else its latest failed one. */
    Optional<Signup> current(String fingerprint) {
        List<Signup> found = jdbc.query("SELECT " + COLUMNS + " FROM signup WHERE device_fingerprint = ? "
                + "ORDER BY (state <> 'failed') DESC, created_at DESC LIMIT 1", ROW, fingerprint);
        return found.stream().findFirst();
    }

    /**
     * Starts a sign-up for the session's device, unless it already has one that has not failed: a repeated submit
     * (double click, reload, a second session of the same device) finds that one, so one device gets one subscription.
     *
     * @return the sign-up and whether this call created it
     */
    Submitted submit(SignupSessions.Session session, String planId, String name, String email) {
        UUID id = UUID.randomUUID();
        int created = jdbc.update("INSERT INTO signup (id, device_kind, device_value, device_fingerprint, public_jwk, plan_id, "
                        + "customer_name, customer_email, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested') "
                        + "ON CONFLICT (device_fingerprint) WHERE state <> 'failed' DO NOTHING",
                id, session.deviceKind(), session.deviceValue(), session.fingerprint(), session.publicJwk(), planId, name,
                email);
        Signup signup = current(session.fingerprint()).orElseThrow();
        return new Submitted(signup, created == 1);
    }

    record Submitted(Signup signup, boolean created) {
    }

    /**
     * The device confirmed it installed the profile: ready → active (once; the event is published by
     * {@link SignupEvents}).
     *
     * @return true when the sign-up is active now (by this call or an earlier one)
     */
    boolean activate(UUID id) {
        jdbc.update("UPDATE signup SET state = 'active', activated_at = now(), updated_at = now() "
                + "WHERE id = ? AND state = 'ready'", id);
        return ACTIVE.equals(jdbc.queryForObject("SELECT state FROM signup WHERE id = ?", String.class, id));
    }
}
