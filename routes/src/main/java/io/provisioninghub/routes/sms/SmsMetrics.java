package io.provisioninghub.routes.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The SMS outbox's metrics (docs/observability.md): {@code hub.sms} counts this replica's SMS by purpose and event;
 * {@code hub.sms.outbox.depth} and {@code hub.sms.outbox.oldest.age} describe the whole deployment's outbox, read
 * from the hub database in the background (never on the scrape).
 */
@Component
class SmsMetrics {

    static final String QUEUED = "queued";
    static final String SUBMITTED = "submitted";
    /** ESME_RTHROTTLED or ESME_RMSGQFUL: the SMSC pacing the hub (the SMS is retried), not a failure of the SMS. */
    static final String THROTTLED = "throttled";
    /** A submit failed for another reason; retried or dead-lettered. */
    static final String FAILED = "failed";
    static final String DEAD_LETTERED = "dead_lettered";
    private static final List<String> EVENTS = List.of(QUEUED, SUBMITTED, THROTTLED, FAILED, DEAD_LETTERED);
    /** The purposes the hub's flows send, registered up front so that their series exist before the first SMS. */
    private static final List<String> PURPOSES = List.of("otp-primary", "otp-additional", "reconfiguration");
    /**
     * A purpose is a fixed name from the code (lower-case words, no digits, at most the column's 24 characters), so a
     * label can never carry a number; anything else, and an SMS whose record is gone, counts as {@code unknown}.
     */
    private static final Pattern PURPOSE = Pattern.compile("[a-z]+(-[a-z]+)*");
    /** SMS accepted and not submitted yet, and the oldest one's age: index-only, sms_message_unsent_created (V13). */
    static final String UNSENT = "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) "
            + "FROM sms_message WHERE state IN ('queued', 'retrying')";

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong depth = new AtomicLong();
    private volatile double oldestAgeSeconds;

    SmsMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        PURPOSES.forEach(purpose -> EVENTS.forEach(event -> counter(purpose, event)));
        Gauge.builder("hub.sms.outbox.depth", depth, AtomicLong::get)
                .description("SMS accepted and not yet submitted (queued or retrying), whole deployment")
                .register(registry);
        Gauge.builder("hub.sms.outbox.oldest.age", this, metrics -> metrics.oldestAgeSeconds)
                .description("Age of the oldest SMS not yet submitted, 0 when none, whole deployment")
                .baseUnit("seconds")
                .register(registry);
    }

    void count(String purpose, String event) {
        count(purpose, event, 1);
    }

    void count(String purpose, String event, long n) {
        String label = purpose != null && purpose.length() <= 24 && PURPOSE.matcher(purpose).matches() ? purpose : "unknown";
        counter(label, event).increment(n);
    }

    private Counter counter(String purpose, String event) {
        return counters.computeIfAbsent(purpose + '|' + event, key -> Counter.builder("hub.sms")
                .description("SMS of this replica by purpose and event")
                .tag("purpose", purpose)
                .tag("event", event)
                .register(registry));
    }

    @Scheduled(fixedDelayString = "${hub.metrics.refresh-interval:15s}")
    void refresh() {
        jdbc.query(UNSENT, row -> {
            depth.set(row.getLong(1));
            oldestAgeSeconds = row.getDouble(2);
        });
    }
}
