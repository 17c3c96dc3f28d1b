package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * OTP-7: how many OTP SMS one MSISDN may receive and one client address may cause, per minute and per day
 * ({@code hub.otp.limits}). RCC.14 §2.3.2 1a NOTE leaves the protection to the server. The counters live in the
 * hub's database (table sms_rate_window), so the limits hold across replicas. Over a limit: 503 + Retry-After
 * until the window ends, and no SMS.
 */
@Component
class SmsAbuseLimits {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final OtpProperties.Limits limits;

    SmsAbuseLimits(JdbcTemplate jdbc, TransactionTemplate transaction, OtpProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.limits = properties.limits();
    }

    /**
     * Counts one SMS to {@code msisdn} caused by {@code clientAddress}, or refuses it without counting.
     *
     * @throws RequestRejected 503 + Retry-After when a limit is reached
     */
    void charge(String msisdn, String clientAddress) {
        Instant now = Instant.now();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        List<Window> windows = List.of(
                new Window("msisdn:" + msisdn + ":m", minute, minute.plus(Duration.ofMinutes(1)), limits.perMsisdnPerMinute()),
                new Window("msisdn:" + msisdn + ":d", day, day.plus(Duration.ofDays(1)), limits.perMsisdnPerDay()),
                new Window("client:" + clientAddress + ":m", minute, minute.plus(Duration.ofMinutes(1)), limits.perClientPerMinute()),
                new Window("client:" + clientAddress + ":d", day, day.plus(Duration.ofDays(1)), limits.perClientPerDay()));
        Instant retryAt = transaction.execute(status -> {
            Instant latest = null;
            for (Window window : windows) {
                Integer sent = jdbc.queryForObject("INSERT INTO sms_rate_window (subject, window_start, window_end, sent) "
                                + "VALUES (?, ?, ?, 1) ON CONFLICT (subject, window_start) "
                                + "DO UPDATE SET sent = sms_rate_window.sent + 1 RETURNING sent", Integer.class,
                        window.subject(), Timestamp.from(window.start()), Timestamp.from(window.end()));
                if (sent != null && sent > window.limit() && (latest == null || window.end().isAfter(latest))) {
                    latest = window.end();
                }
            }
            if (latest != null) {
                status.setRollbackOnly(); // a refused SMS does not count
            }
            return latest;
        });
        if (retryAt != null) {
            long seconds = Math.max(1, Duration.between(Instant.now(), retryAt).toSeconds() + 1);
            throw new RequestRejected(HubResponse.text(503, "Service Unavailable: too many SMS requested")
                    .withHeader("Retry-After", Long.toString(seconds)), "SMS limit reached");
        }
    }

    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void purgeExpired() {
        jdbc.update("DELETE FROM sms_rate_window WHERE window_end < now()");
    }

    private record Window(String subject, Instant start, Instant end, int limit) {
    }
}
