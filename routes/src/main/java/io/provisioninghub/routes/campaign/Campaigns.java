package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.sms.SmsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rotation and reconfiguration campaigns (ROT-3, RECONF-2), as the operator API and the hub's own policies see
 * them: start one over a selection at an SMS rate, read its progress as counts per device state, pause, resume,
 * cancel. Everything here is a database write; the fan-out and the dispatch run in the campaign leader
 * ({@link CampaignWorkers}). Flow and state diagrams: docs/flows/campaigns.md.
 */
@Service
public class Campaigns {

    static final Set<String> ROTATION_REASONS = Set.of("operator", "compromised", "due");
    static final List<String> DEVICE_STATES = List.of("pending", "done", "skipped", "failed", "cancelled");
    private static final Logger LOG = LoggerFactory.getLogger(Campaigns.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final CampaignProperties properties;
    private final int smsRateCap;
    private final CampaignRetention retention;

    Campaigns(JdbcTemplate jdbc, TransactionTemplate transaction, ObjectMapper json, CampaignProperties properties,
              SmsProperties sms, CampaignRetention retention) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
        this.properties = properties;
        this.smsRateCap = sms.ratePerSecond();
        this.retention = retention;
    }

    /** A request the hub refuses, with a message for the operator (400). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A state change that does not apply to the campaign's current state (409). */
    public static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts a campaign from the operator API body {@code {kind, selection, smsRatePerSecond, reason}}.
     *
     * @return the new campaign's view
     * @throws Refused when the body is wrong (kind, selection, rate above {@code hub.sms.rate-per-second}, reason)
     */
    public Map<String, Object> start(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Refused("the body must be a JSON object: {kind, selection, smsRatePerSecond, reason}");
        }
        String kind = body.path("kind").asText("");
        if (!"rotation".equals(kind) && !"reconfiguration".equals(kind)) {
            throw new Refused("kind must be rotation or reconfiguration");
        }
        CampaignSelection selection;
        try {
            selection = CampaignSelection.fromRequest(body.get("selection"), properties.maxListedImsis());
        } catch (CampaignSelection.Refused refused) {
            throw new Refused(refused.getMessage());
        }
        JsonNode rate = body.get("smsRatePerSecond");
        // Refused rather than clamped: an operator who asked for more than the SMSC contract allows should know
        // the campaign would take longer than planned.
        if (rate == null || !rate.isIntegralNumber() || rate.asLong() < 1 || rate.asLong() > smsRateCap) {
            throw new Refused("smsRatePerSecond must be a whole number from 1 to " + smsRateCap
                    + " (hub.sms.rate-per-second, the SMSC's rate for the whole hub)");
        }
        String reason = null;
        if ("rotation".equals(kind)) {
            reason = body.path("reason").asText("operator");
            if (!ROTATION_REASONS.contains(reason)) {
                throw new Refused("reason must be one of operator, compromised, due");
            }
        } else if (body.hasNonNull("reason")) {
            throw new Refused("reason applies to rotation campaigns only");
        }
        long id = create(kind, selection, rate.asInt(), reason, "operator");
        return view(id).orElseThrow();
    }

    /** Creates a campaign (in the caller's transaction, if any); the leader starts its fan-out within a second. */
    long create(String kind, CampaignSelection selection, int smsRatePerSecond, String reason, String origin) {
        int rate = Math.min(smsRatePerSecond, smsRateCap);
        Long id = jdbc.queryForObject("INSERT INTO campaign (kind, origin, reason, selection, sms_rate_per_second, state) "
                + "VALUES (?, ?, ?, ?, ?, 'fanning_out') RETURNING id", Long.class, kind, origin, reason,
                selection.toJson(json), rate);
        LOG.info("Campaign {} started: {} of {} at {} SMS/s ({})", id, kind, selection.summary().keySet(), rate, origin);
        return id;
    }

    Optional<Campaign> find(long id) {
        return jdbc.query("SELECT " + Campaign.COLUMNS + " FROM campaign WHERE id = ?",
                rs -> rs.next() ? Optional.of(Campaign.read(rs)) : Optional.empty(), id);
    }

    /** The campaign without its selection (null), for the dispatcher's and the supervisor's frequent checks. */
    Optional<Campaign> state(long id) {
        return jdbc.query("SELECT " + Campaign.STATE_COLUMNS + " FROM campaign WHERE id = ?",
                rs -> rs.next() ? Optional.of(Campaign.read(rs)) : Optional.empty(), id);
    }

    /** The campaign with its device counts per state; empty when there is no such campaign. */
    public Optional<Map<String, Object>> view(long id) {
        return find(id).map(campaign -> {
            Map<String, Object> view = summary(campaign);
            view.put("devices", retention.counts(campaign));
            return view;
        });
    }

    /** The latest campaigns, newest first, without counts (one cheap query). */
    public List<Map<String, Object>> list(int limit) {
        return jdbc.query("SELECT " + Campaign.COLUMNS + " FROM campaign ORDER BY id DESC LIMIT ?",
                (rs, i) -> summary(Campaign.read(rs)), limit);
    }

    private Map<String, Object> summary(Campaign campaign) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", campaign.id());
        view.put("kind", campaign.kind());
        view.put("origin", campaign.origin());
        view.put("reason", campaign.reason());
        view.put("state", campaign.state());
        view.put("selection", CampaignSelection.fromStored(campaign.selection(), json).summary());
        view.put("smsRatePerSecond", campaign.smsRatePerSecond());
        view.put("selected", campaign.selected());
        view.put("fanOutComplete", campaign.fannedOutAt() != null);
        view.put("createdAt", String.valueOf(campaign.createdAt()));
        view.put("updatedAt", String.valueOf(campaign.updatedAt()));
        view.put("completedAt", campaign.completedAt() == null ? null : campaign.completedAt().toString());
        return view;
    }

    /**
     * Stops dispatching; queued work stays in the campaign's queue (the fan-out goes on, it sends nothing).
     *
     * @return false when there is no such campaign
     * @throws Conflict when the campaign is not running
     */
    public boolean pause(long id) {
        return change(id, "UPDATE campaign SET state = 'paused', updated_at = now() "
                + "WHERE id = ? AND state IN ('fanning_out', 'running')", "only a running campaign can be paused");
    }

    /** Dispatches again from where the pause left off. */
    public boolean resume(long id) {
        return change(id, "UPDATE campaign SET state = CASE WHEN fanned_out_at IS NULL THEN 'fanning_out' ELSE 'running' END, "
                + "updated_at = now() WHERE id = ? AND state = 'paused'", "only a paused campaign can be resumed");
    }

    /**
     * Ends the campaign: every device still pending becomes cancelled (a device being dispatched right now
     * finishes, its row is locked), and the queued work is dropped by the leader.
     */
    public boolean cancel(long id) {
        Boolean done = transaction.execute(status -> {
            if (find(id).isEmpty()) {
                return false;
            }
            int changed = jdbc.update("UPDATE campaign SET state = 'cancelled', updated_at = now() "
                    + "WHERE id = ? AND state IN ('fanning_out', 'running', 'paused')", id);
            if (changed == 0) {
                throw new Conflict("the campaign is already completed or cancelled");
            }
            int devices = jdbc.update("UPDATE campaign_device SET state = 'cancelled', updated_at = now() "
                    + "WHERE campaign_id = ? AND state = 'pending'", id);
            LOG.info("Campaign {} cancelled: {} pending device(s) cancelled", id, devices);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    private boolean change(long id, String update, String conflict) {
        if (find(id).isEmpty()) {
            return false;
        }
        if (jdbc.update(update, id) == 0) {
            throw new Conflict(conflict);
        }
        LOG.info("Campaign {} is now {}", id, find(id).map(Campaign::state).orElse("?"));
        return true;
    }

    /** Completed when its fan-out finished and no device is pending. */
    boolean completeIfDone(long id) {
        int changed = jdbc.update("UPDATE campaign SET state = 'completed', completed_at = now(), updated_at = now() "
                + "WHERE id = ? AND state = 'running' AND fanned_out_at IS NOT NULL AND NOT EXISTS "
                + "(SELECT 1 FROM campaign_device WHERE campaign_id = ? AND state = 'pending')", id, id);
        if (changed > 0) {
            LOG.info("Campaign {} completed", id);
        }
        return changed > 0;
    }

    /** Campaigns with work left for the leader (without selection): open ones, and cancelled ones not yet drained. */
    List<Campaign> withWork() {
        return jdbc.query("SELECT " + Campaign.STATE_COLUMNS + " FROM campaign WHERE state IN ('fanning_out', 'running', 'paused') "
                + "OR (state = 'cancelled' AND work_drained_at IS NULL) ORDER BY id", (rs, i) -> Campaign.read(rs));
    }

    void drained(long id) {
        jdbc.update("UPDATE campaign SET work_drained_at = now() WHERE id = ?", id);
    }

    int smsRateCap() {
        return smsRateCap;
    }
}
