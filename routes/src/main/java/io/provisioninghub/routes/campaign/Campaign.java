package io.provisioninghub.routes.campaign;

import java.time.Instant;

/**
 * One campaign row.
 *
 * @param writtenThrough device rows exist for every selected IMSI up to this one (null: none yet)
 * @param queuedThrough  their work is in the queue up to this one
 * @param deviceCounts   the device counts per state (JSON), kept once the device rows went after the record retention;
 *                       null before ({@link CampaignRetention})
 */
record Campaign(long id, String kind, String origin, String reason, String selection, int smsRatePerSecond,
                String state, String writtenThrough, String queuedThrough, long selected, Instant fannedOutAt,
                Instant workDrainedAt, Instant createdAt, Instant updatedAt, Instant completedAt, String deviceCounts) {

    static final String COLUMNS = "id, kind, origin, reason, selection, sms_rate_per_second, state, written_through, "
            + "queued_through, selected, fanned_out_at, work_drained_at, created_at, updated_at, completed_at, device_counts";
    /** The same without the selection (an explicit list can be megabytes): for the frequent state checks. */
    static final String STATE_COLUMNS = COLUMNS.replace("selection,", "NULL AS selection,");

    static Campaign read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Campaign(rs.getLong("id"), rs.getString("kind"), rs.getString("origin"), rs.getString("reason"),
                rs.getString("selection"), rs.getInt("sms_rate_per_second"), rs.getString("state"),
                rs.getString("written_through"), rs.getString("queued_through"), rs.getLong("selected"),
                instant(rs, "fanned_out_at"), instant(rs, "work_drained_at"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "completed_at"), rs.getString("device_counts"));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** Devices are dispatched in these states. */
    boolean dispatching() {
        return dispatching(state);
    }

    static boolean dispatching(String state) {
        return "fanning_out".equals(state) || "running".equals(state);
    }

    boolean open() {
        return dispatching() || "paused".equals(state);
    }

    boolean rotation() {
        return "rotation".equals(kind);
    }
}
