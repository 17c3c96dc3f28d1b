package io.provisioninghub.routes.rotation;

import io.micrometer.core.instrument.Counter;
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
 * The rotation flow's metrics (docs/observability.md): {@code hub.rotation.events}, what this replica made of the
 * rotation-requested events it read from Kafka, and {@code hub.rotations}, the whole deployment's rotation records by
 * state, read from the hub database in the background (never on the scrape).
 */
@Component
class RotationMetrics {

    /** Rotations in progress: as many as the work in flight (a fleet-wide campaign: a million), counted every refresh. */
    static final List<String> LIVE = List.of("requested", "notified");
    /**
     * Final states: every rotation of hub.rotation.record-retention (90 days of a monthly refresh of a million
     * subscribers: three million rows). Even as an index-only scan that costs about half a second, so these are
     * counted every hub.metrics.settled-refresh-interval; they only grow slowly anyway.
     */
    static final List<String> SETTLED = List.of("rotated", "failed", "expired");
    /** An index-only scan of rotation_state (V13) over the given states. */
    static final String COUNT = "SELECT state, count(*) FROM rotation WHERE state = ANY(?::varchar[]) GROUP BY state";

    private final JdbcTemplate jdbc;
    private final Counter accepted;
    private final Counter duplicate;
    private final Counter deadLettered;
    private final Map<String, AtomicLong> rotations = new LinkedHashMap<>();

    RotationMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.accepted = event(registry, "accepted");
        this.duplicate = event(registry, "duplicate");
        this.deadLettered = event(registry, "dead_lettered");
        for (List<String> states : List.of(LIVE, SETTLED)) {
            for (String state : states) {
                AtomicLong count = new AtomicLong();
                rotations.put(state, count);
                Gauge.builder("hub.rotations", count, AtomicLong::get)
                        .description("Rotation records by state, whole deployment")
                        .tag("state", state)
                        .register(registry);
            }
        }
    }

    private static Counter event(MeterRegistry registry, String outcome) {
        return Counter.builder("hub.rotation.events")
                .description("Rotation-requested events this replica read from Kafka, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A batch applied: {@code created} events started a rotation, the others of {@code valid} did not (known already). */
    void applied(int valid, int created) {
        accepted.increment(created);
        duplicate.increment(valid - created);
    }

    void deadLettered() {
        deadLettered.increment();
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
        Map<String, Long> counted = new HashMap<>();
        jdbc.query(COUNT, row -> {
            counted.put(row.getString(1), row.getLong(2));
        }, (Object) states.toArray(String[]::new));
        // A state without rows has no group: 0.
        states.forEach(state -> rotations.get(state).set(counted.getOrDefault(state, 0L)));
    }
}
