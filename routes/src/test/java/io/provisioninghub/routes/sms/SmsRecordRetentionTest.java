package io.provisioninghub.routes.sms;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.support.HubInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * INT-3: the SMS records are kept for hub.sms.record-retention (30 days by default), then deleted with their
 * segments; an SMS still waiting is never deleted. The housekeeping queries find their rows through an index, not by
 * reading the table.
 */
class SmsRecordRetentionTest {

    /** A number no other test uses, so the rows below are this test's alone. */
    private static final String MSISDN = "+15559990777";

    private final HubInstance hub = HubInstance.shared();
    private final JdbcTemplate db = hub.hubDatabase();

    @AfterEach
    void removeRows() {
        db.update("DELETE FROM sms_message WHERE msisdn = ?", MSISDN);
    }

    @Test // INT-3
    void deletesFinishedRecordsPastRetentionWithTheirSegmentsAndKeepsTheRest() {
        insert("old-submitted", "submitted", "31 days");
        insert("old-failed", "failed", "31 days");
        insert("old-expired", "expired", "40 days");
        insert("old-queued", "queued", "31 days");        // still waiting: never deleted by retention
        insert("recent-submitted", "submitted", "29 days");
        db.update("INSERT INTO sms_segment (reference, segment, smsc_message_id) "
                + "SELECT reference, 1, 'retention-test' FROM sms_message WHERE msisdn = ?", MSISDN);

        hub.context().getBean(SmsRecords.class).deletePastRetention();

        assertThat(db.queryForList("SELECT purpose FROM sms_message WHERE msisdn = ? ORDER BY purpose", String.class,
                MSISDN)).containsExactly("old-queued", "recent-submitted");
        assertThat(db.queryForObject("SELECT count(*) FROM sms_segment WHERE smsc_message_id = 'retention-test'",
                Long.class)).isEqualTo(2);
    }

    @Test // INT-3
    void housekeepingQueriesUseAnIndexOnALargeTable() {
        // 60,000 sent SMS, none due: the plans must not read them all every interval.
        db.update("INSERT INTO sms_message (reference, purpose, msisdn, state, expires_at, created_at) "
                + "SELECT gen_random_uuid(), 'plan-test', ?, 'submitted', now() + interval '5 minutes', "
                + "now() - (g % 1000) * interval '1 second' FROM generate_series(1, 60000) AS g", MSISDN);
        db.execute("ANALYZE sms_message");

        assertThat(plan(SmsRecords.EXPIRED_UNSENT)).contains("sms_message_unsent_expiry").doesNotContain("Seq Scan");
        assertThat(plan(SmsRecords.pastRetention(Duration.ofDays(30))))
                .contains("sms_message_created_at").doesNotContain("Seq Scan");
    }

    @Test
    void refusesARetentionShorterThanADay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmsProperties("q", "dl", 100, 8, 20,
                        Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30), 1L, Duration.ofSeconds(1),
                        true, Duration.ofHours(23)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hub.sms.record-retention");
    }

    private String plan(String due) {
        return String.join("\n", db.queryForList("EXPLAIN " + ExpiredRows.batchQuery("sms_message", due), String.class));
    }

    private void insert(String purpose, String state, String age) {
        db.update("INSERT INTO sms_message (reference, purpose, msisdn, state, created_at) "
                + "VALUES (gen_random_uuid(), ?, ?, ?, now() - ?::interval)", purpose, MSISDN, state, age);
    }
}
