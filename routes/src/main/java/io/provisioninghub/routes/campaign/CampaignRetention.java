package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.common.ExpiredRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's device rows (one per selected device: a million for a fleet-wide refresh) are kept for
 * {@code hub.campaign.record-retention} after the campaign ended; then its counts per state are stored on the campaign
 * row (one transaction), and its device rows deleted in batches ({@link ExpiredRows}: short transactions, no burst of
 * WAL), over as many runs as it takes. The campaign and its counts stay readable through the operator API for ever (a
 * row per campaign). Any replica may do it: campaigns and rows are taken {@code FOR UPDATE SKIP LOCKED}.
 */
@Component
class CampaignRetention {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignRetention.class);
    /** Campaigns whose counts are kept, and whose rows are deleted, per run: each may have a million rows. */
    private static final int PER_RUN = 5;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final CampaignProperties properties;

    CampaignRetention(JdbcTemplate jdbc, TransactionTemplate transaction, ObjectMapper json,
                      CampaignProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void archivePastRetention() {
        for (int i = 0; i < PER_RUN; i++) {
            Boolean counted = transaction.execute(status -> keepCountsOfOne());
            if (!Boolean.TRUE.equals(counted)) {
                break;
            }
        }
        // The device rows of every campaign whose counts are kept (this run's, or an earlier run's that stopped at
        // its time budget or with the replica): a campaign at a time, in batches.
        for (long id : jdbc.queryForList("SELECT id FROM campaign WHERE device_counts IS NOT NULL "
                + "AND device_rows_deleted_at IS NULL ORDER BY id LIMIT " + PER_RUN, Long.class)) {
            long deleted = ExpiredRows.delete(jdbc, "campaign_device", "campaign_id = " + id);
            if (!jdbc.queryForList("SELECT 1 FROM campaign_device WHERE campaign_id = ? LIMIT 1", id).isEmpty()) {
                return; // the time budget ran out (or another replica holds some rows): the next run goes on
            }
            jdbc.update("UPDATE campaign SET device_rows_deleted_at = now() WHERE id = ?", id);
            LOG.info("Campaign {}: device rows deleted after hub.campaign.record-retention ({} in this run); its counts "
                    + "are kept", id, deleted);
        }
    }

    /** @return false when no campaign was due (or every due one is being handled by another replica) */
    private boolean keepCountsOfOne() {
        List<Long> due = jdbc.queryForList("SELECT id FROM campaign WHERE state IN ('completed', 'cancelled') "
                + "AND device_counts IS NULL AND " + ExpiredRows.olderThan("updated_at", properties.recordRetention())
                + " ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED", Long.class);
        if (due.isEmpty()) {
            return false;
        }
        long id = due.get(0);
        // An ended campaign's device rows no longer change: the counts taken now stay true.
        jdbc.update("UPDATE campaign SET device_counts = ? WHERE id = ?", write(liveCounts(id)), id);
        return true;
    }

    /** The campaign's devices per state: the stored counts once its rows went, counted from its device rows before. */
    Map<String, Long> counts(Campaign campaign) {
        return campaign.deviceCounts() != null ? read(campaign.deviceCounts()) : liveCounts(campaign.id());
    }

    private Map<String, Long> liveCounts(long id) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Campaigns.DEVICE_STATES.forEach(state -> counts.put(state, 0L));
        jdbc.query("SELECT state, count(*) FROM campaign_device WHERE campaign_id = ? GROUP BY state",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, id);
        return counts;
    }

    private String write(Map<String, Long> counts) {
        try {
            return json.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Long> read(String stored) {
        try {
            Map<String, Long> counts = new LinkedHashMap<>();
            Campaigns.DEVICE_STATES.forEach(state -> counts.put(state, 0L));
            counts.putAll(json.readValue(stored, new TypeReference<LinkedHashMap<String, Long>>() { }));
            return counts;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("campaign device counts are not JSON", e);
        }
    }
}
