package io.provisioninghub.routes.audit;

import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of the audit trail (OPS-6, hub.audit.retention): the purge deletes the oldest rows and moves the sealed
 * anchor, so the kept chain still verifies; the same rows deleted without the purge (the anchor not moved, or moved
 * without the hub's key) break it. Rows past retention are made by asking the purge for a cutoff of "now".
 */
class AuditRetentionTest extends SharedHubTest {

    @Test // OPS-6: purged oldest-first, the chain still verifies from its new anchor
    void thePurgeKeepsTheChainVerifiable() {
        AuditTrail trail = hub.context().getBean(AuditTrail.class);
        for (int i = 0; i < 4; i++) {
            hub.operator("care").get("/operator/v1/subscribers/" + Subscribers.generated(90_301).imsi() + "/configuration");
        }
        AuditVerification before = trail.verify();
        assertThat(before.valid()).as(before.toString()).isTrue();

        assertThat(trail.deleteOldest(Instant.now(), 2)).isEqualTo(2);
        AuditVerification after = trail.verify();
        assertThat(after.valid()).as(after.toString()).isTrue();
        assertThat(after.firstId()).isEqualTo(before.firstId() + 2);
        assertThat(after.lastId()).isEqualTo(before.lastId());

        // The oldest kept row deleted by hand (the anchor not moved): found, then put back.
        JdbcTemplate db = hub.hubDatabase();
        db.execute("CREATE TEMP TABLE IF NOT EXISTS audit_oldest AS SELECT * FROM audit_event WITH NO DATA");
        db.update("DELETE FROM audit_oldest");
        db.update("INSERT INTO audit_oldest SELECT * FROM audit_event WHERE id = ?", after.firstId());
        try {
            db.update("DELETE FROM audit_event WHERE id = ?", after.firstId());
            AuditVerification cut = trail.verify();
            assertThat(cut.valid()).isFalse();
            assertThat(cut.brokenAt()).isEqualTo(after.firstId());

            // ... and the anchor moved past it without the hub's key: the anchor's seal does not match.
            db.update("UPDATE audit_chain SET anchor_id = ?, anchor_hash = (SELECT hash FROM audit_oldest) WHERE id = 1",
                    after.firstId());
            AuditVerification forged = trail.verify();
            assertThat(forged.valid()).isFalse();
            assertThat(forged.reason()).contains("anchor");
        } finally {
            db.update("INSERT INTO audit_event SELECT * FROM audit_oldest");
            db.update("UPDATE audit_chain SET anchor_id = ?, anchor_hash = (SELECT previous_hash FROM audit_event "
                    + "WHERE id = ?), anchor_seal = ? WHERE id = 1", after.firstId() - 1, after.firstId(),
                    hub.context().getBean(AuditChain.class).sealAnchor(after.firstId() - 1,
                            db.queryForObject("SELECT previous_hash FROM audit_event WHERE id = ?", byte[].class,
                                    after.firstId())));
        }
        assertThat(trail.verify().valid()).isTrue();
    }
}
