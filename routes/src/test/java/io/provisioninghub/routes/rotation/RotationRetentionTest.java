package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.support.SharedHubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-1: finished rotations whose result was published are kept for hub.rotation.record-retention (90 days), then
 * deleted; nothing in progress or still to report is. The query finds them through an index on a large table.
 */
class RotationRetentionTest extends SharedHubTest {

    private static final String SOURCE = "urn:test:rotation-retention";

    @AfterEach
    void removeRows() {
        hub.hubDatabase().update("DELETE FROM rotation WHERE event_source = ?", SOURCE);
    }

    @Test // ROT-1
    void deletesReportedRotationsPastRetentionOnly() {
        insert("old-expired-reported", "expired", "91 days", true);
        insert("old-rotated-reported", "rotated", "200 days", true);
        insert("old-failed-unreported", "failed", "91 days", false);   // its result event is still due
        insert("old-notified", "notified", "91 days", false);          // still in progress
        insert("recent-expired-reported", "expired", "89 days", true);

        // What is due, in one statement (the hub's follow-up may publish the unreported one's result any moment, after
        // which it is due too: so that one is checked here, before the purge).
        assertThat(hub.hubDatabase().queryForList("SELECT event_id FROM rotation WHERE event_source = ? AND "
                + RotationFollowUp.pastRetention(Duration.ofDays(90)) + " ORDER BY event_id", String.class, SOURCE))
                .containsExactly("old-expired-reported", "old-rotated-reported");

        hub.context().getBean(RotationFollowUp.class).deletePastRetention();

        assertThat(hub.hubDatabase().queryForList("SELECT event_id FROM rotation WHERE event_source = ? ORDER BY event_id",
                String.class, SOURCE)).doesNotContain("old-expired-reported", "old-rotated-reported")
                .contains("old-notified", "recent-expired-reported");
    }

    @Test // ROT-1
    void retentionQueryUsesAnIndex() {
        JdbcTemplate db = hub.hubDatabase();
        db.update("INSERT INTO rotation (event_source, event_id, imsi, reason, state, result_published_at, updated_at) "
                + "SELECT ?, 'plan-' || g, lpad(g::text, 15, '9'), 'due', 'expired', now(), now() - (g % 60) * interval '1 day' "
                + "FROM generate_series(1, 60000) AS g", SOURCE);
        db.execute("ANALYZE rotation");
        String plan = String.join("\n", db.queryForList("EXPLAIN " + ExpiredRows.batchQuery("rotation",
                RotationFollowUp.pastRetention(Duration.ofDays(90))), String.class));
        assertThat(plan).contains("rotation_finished").doesNotContain("Seq Scan");
    }

    private static void insert(String eventId, String state, String age, boolean reported) {
        hub.hubDatabase().update("INSERT INTO rotation (event_source, event_id, imsi, reason, state, result_published_at, "
                        + "updated_at) VALUES (?, ?, ?, 'due', ?, CASE WHEN ? THEN now() END, now() - ?::interval)",
                SOURCE, eventId, "00101777" + String.format("%07d", Math.abs(eventId.hashCode()) % 10_000_000), state,
                reported, age);
    }
}
