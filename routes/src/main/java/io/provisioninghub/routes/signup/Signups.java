package io.provisioninghub.routes.signup;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code signup} table as the HTTP routes see it (SIGNUP-2): a device's current sign-up, a new one from the form,
 * activation. The saga's own transitions are in {@link SignupSaga}.
 */
@Service
class Signups {

    /** States of the saga (docs/flows/signup.md, docs/flows/headless.md). */
    static final String BOUND = "bound";
    static final String REQUESTED = "requested";
    static final String HLR_ALLOCATED = "hlr_allocated";
    static final String BILLING_ORDERED = "billing_ordered";
    static final String READY = "ready";
    static final String ACTIVE = "active";
    static final String COMPENSATING = "compensating";
    static final String FAILED = "failed";
    static final String RELEASING = "releasing";
    static final String RELEASED = "released";

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

        /** Moved to another subscription or released to another operator (SIGNUP-4). */
        boolean released() {
            return RELEASING.equals(state) || RELEASED.equals(state);
        }

        /** Failed or released: the device may sign up (or be bound) again. */
        boolean over() {
            return FAILED.equals(state) || RELEASED.equals(state);
        }

        @Override
        public String toString() {
            return "Signup[id=" + id + ", state=" + state + "]";
        }
    }

    /**
     * The session's device's live sign-up or binding, else its latest one that is over. A device is matched by its
     * certificate, or by its identity and key together: a device bound by IMEI + public key (SIGNUP-3) has no
     * certificate on record, and a renewed certificate with the same identity and key is the same device.
     */
    Optional<Signup> current(SignupSessions.Session session) {
        List<Signup> found = jdbc.query("SELECT " + COLUMNS + " FROM signup WHERE device_fingerprint = ? "
                        + "OR (device_kind = ? AND device_value = ? AND key_thumbprint = ?) "
                        + "ORDER BY (state NOT IN ('failed', 'releasing', 'released')) DESC, created_at DESC LIMIT 1", ROW,
                session.fingerprint(), session.deviceKind(), session.deviceValue(), thumbprint(session.publicJwk()));
        return found.stream().findFirst();
    }

    /** RFC 7638 thumbprint (SHA-256) of a public JWK, lower-case hex: what a binding's key is matched by. */
    static String thumbprint(String publicJwk) {
        try {
            return thumbprint(JWK.parse(publicJwk));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a public JWK", e);
        }
    }

    static String thumbprint(JWK publicJwk) {
        try {
            return HexFormat.of().formatHex(publicJwk.computeThumbprint().decode());
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 thumbprint of a parsed JWK", e);
        }
    }

    /**
     * Starts a sign-up for the session's device, unless it already has one that has not failed: a repeated submit
     * (double click, reload, a second session of the same device) finds that one, so one device gets one subscription.
     *
     * @return the sign-up and whether this call created it; no sign-up when the device identity is already bound
     *         with another key (one live binding per identity, V8): the operator has to sort that out
     */
    Submitted submit(SignupSessions.Session session, String planId, String name, String email) {
        UUID id = UUID.randomUUID();
        int created = jdbc.update("INSERT INTO signup (id, device_kind, device_value, device_fingerprint, key_thumbprint, "
                        + "public_jwk, plan_id, customer_name, customer_email, state) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested') ON CONFLICT DO NOTHING",
                id, session.deviceKind(), session.deviceValue(), session.fingerprint(), thumbprint(session.publicJwk()),
                session.publicJwk(), planId, name, email);
        Signup signup = current(session).filter(s -> !s.over()).orElse(null);
        return new Submitted(signup, created == 1 && signup != null);
    }

    record Submitted(Signup signup, boolean created) {
    }

    /**
     * The device's first access to a binding that waits for it (SIGNUP-3, seed 001: "remote provisioning takes place
     * at the first access attempt"): bound → requested, once, whichever replica sees it first.
     *
     * @return true when this call started it (the caller hands it to the saga)
     */
    boolean startBound(UUID id) {
        return jdbc.update("UPDATE signup SET state = 'requested', next_attempt_at = now(), updated_at = now() "
                + "WHERE id = ? AND state = 'bound'", id) == 1;
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
