package io.provisioninghub.routes.audit;

import io.provisioninghub.routes.common.ExpiredRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * Deletes audit rows older than {@code hub.audit.retention} (default 400 days, at least 30), oldest first, in batches,
 * on every replica's housekeeping schedule (the chain's lock keeps them apart). The chain stays verifiable: its anchor
 * moves to the last row deleted.
 */
@Component
class AuditRetention {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    private static final int BATCH = ExpiredRows.BATCH;

    private final AuditTrail trail;
    private final Duration retention;

    AuditRetention(AuditTrail trail, @Value("${hub.audit.retention:400d}") Duration retention) {
        ExpiredRows.requireAtLeast(retention, Duration.ofDays(30), "hub.audit.retention");
        this.trail = trail;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void deletePastRetention() {
        Instant cutoff = Instant.now().minus(retention);
        long total = 0;
        int deleted;
        do {
            deleted = trail.deleteOldest(cutoff, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.info("Audit trail: {} rows past retention deleted", total);
        }
    }
}
