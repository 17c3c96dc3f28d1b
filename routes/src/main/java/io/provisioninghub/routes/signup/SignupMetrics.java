package io.provisioninghub.routes.signup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hub.signups} and {@code hub.device.bindings} (docs/observability.md): the rows of the {@code signup} table by
 * state, for the whole deployment, read from the hub database in the background (never on the scrape). Both run the
 * same saga in the same table: a sign-up is a row from the page (origin {@code portal}), a binding one the operator
 * made ({@code bulk}) or moved ({@code reassign}, DeviceBindings).
 */
@Component
class SignupMetrics {

    /** Sagas at work: as many as the sign-ups and first accesses in flight, counted every refresh. */
    static final List<String> LIVE = List.of(Signups.REQUESTED, Signups.HLR_ALLOCATED, Signups.BILLING_ORDERED,
            Signups.READY, Signups.COMPENSATING, Signups.RELEASING);
    /**
     * States rows stay in: every device ever signed up or bound (rows are never deleted), bindings waiting months for
     * their device's first access. Millions at an IoT operator, about half a second even as an index-only scan, so
     * counted every hub.metrics.settled-refresh-interval.
     */
    static final List<String> SETTLED = List.of(Signups.BOUND, Signups.ACTIVE, Signups.FAILED, Signups.RELEASED);
    /** An index-only scan of signup_state_origin (V13) over the given states. */
    static final String COUNT = "SELECT state, origin = 'portal', count(*) FROM signup WHERE state = ANY(?::varchar[]) "
            + "GROUP BY state, origin";

    private final JdbcTemplate jdbc;
    private final Map<String, AtomicLong> signups = new LinkedHashMap<>();
    private final Map<String, AtomicLong> bindings = new LinkedHashMap<>();

    SignupMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        for (List<String> states : List.of(LIVE, SETTLED)) {
            for (String state : states) {
                signups.put(state, gauge(registry, "hub.signups", "Sign-ups from the page by state, whole deployment", state));
                bindings.put(state, gauge(registry, "hub.device.bindings",
                        "Device bindings (bulk or moved) by state, whole deployment", state));
            }
        }
    }

    private static AtomicLong gauge(MeterRegistry registry, String name, String description, String state) {
        AtomicLong count = new AtomicLong();
        Gauge.builder(name, count, AtomicLong::get).description(description).tag("state", state).register(registry);
        return count;
    }

    @Scheduled(fixedDelayString = "${hub.metrics.refresh-interval:15s}")
    void refreshLive() {
        count(LIVE);
    }

    @Scheduled(fixedDelayString = "${hub.metrics.settled-refresh-interval:5m}")
    void refreshSettled() {
        count(SETTLED);
    }

    private void count(List<String> states) {
        Map<String, Long> portal = new HashMap<>();
        Map<String, Long> binding = new HashMap<>();
        jdbc.query(COUNT, row -> {
            (row.getBoolean(2) ? portal : binding).merge(row.getString(1), row.getLong(3), Long::sum);
        }, (Object) states.toArray(String[]::new));
        // A state without rows has no group: 0.
        for (String state : states) {
            signups.get(state).set(portal.getOrDefault(state, 0L));
            bindings.get(state).set(binding.getOrDefault(state, 0L));
        }
    }
}
