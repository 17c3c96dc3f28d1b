package io.provisioninghub.routes.campaign;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hub.campaign.devices} (docs/observability.md): the devices of the campaigns not finished, by device state and
 * by whether their campaign is {@code active} (fanning out or running) or {@code paused} — a paused campaign's pending
 * devices wait on purpose, and the alert rules must not take them for a stall. The whole deployment's counts, read from
 * the hub database in the background (never on the scrape).
 */
@Component
class CampaignMetrics {

    /**
     * A campaign has up to a million device rows, nearly all of them done by its end, so done ones are never read: the
     * campaign row counts its device rows ({@code selected}, raised in the transaction that writes them, see
     * CampaignFanOut), and done = selected minus the other states. What is read grows with the work left: pending
     * devices through campaign_device_pending (V6), the rare skipped, failed and cancelled ones through
     * campaign_device_exception (V13), index-only both (= ANY of an array: an index condition whatever the planner
     * guesses of the campaigns' number). One statement per kind of campaign, so one snapshot each.
     */
    static final String COUNT = count("'fanning_out', 'running'");
    static final String PAUSED_COUNT = count("'paused'");

    private final JdbcTemplate jdbc;
    /** campaign ("active", "paused") → device state → count. */
    private final Map<String, Map<String, AtomicLong>> devices = new LinkedHashMap<>();

    CampaignMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        for (String campaign : new String[] {"active", "paused"}) {
            Map<String, AtomicLong> byState = new LinkedHashMap<>();
            for (String state : Campaigns.DEVICE_STATES) {
                AtomicLong count = new AtomicLong();
                byState.put(state, count);
                Gauge.builder("hub.campaign.devices", count, AtomicLong::get)
                        .description("Devices of the campaigns not finished, by state and by campaign (active or "
                                + "paused), whole deployment")
                        .tag("campaign", campaign)
                        .tag("state", state)
                        .register(registry);
            }
            devices.put(campaign, byState);
        }
    }

    private static String count(String campaignStates) {
        return "WITH unfinished AS (SELECT id, selected FROM campaign WHERE state IN (" + campaignStates + ")) "
                + "SELECT 'pending', count(*) FROM campaign_device WHERE state = 'pending' "
                + "AND campaign_id = ANY(ARRAY(SELECT id FROM unfinished)) "
                + "UNION ALL SELECT state, count(*) FROM campaign_device WHERE state IN ('skipped', 'failed', 'cancelled') "
                + "AND campaign_id = ANY(ARRAY(SELECT id FROM unfinished)) GROUP BY state "
                + "UNION ALL SELECT 'selected', coalesce(sum(selected), 0) FROM unfinished";
    }

    @Scheduled(fixedDelayString = "${hub.metrics.refresh-interval:15s}")
    void refresh() {
        refresh(COUNT, devices.get("active"));
        refresh(PAUSED_COUNT, devices.get("paused"));
    }

    private void refresh(String statement, Map<String, AtomicLong> byState) {
        Map<String, Long> counted = new HashMap<>();
        jdbc.query(statement, row -> {
            counted.put(row.getString(1), row.getLong(2));
        });
        long done = counted.getOrDefault("selected", 0L);
        for (String state : Campaigns.DEVICE_STATES) {
            if (!"done".equals(state)) {
                long count = counted.getOrDefault(state, 0L);
                byState.get(state).set(count);
                done -= count;
            }
        }
        byState.get("done").set(Math.max(0, done));
    }
}
