package io.provisioninghub.routes.campaign;

import io.provisioninghub.connectors.billing.BillingUnavailableException;
import io.provisioninghub.connectors.hlr.HlrUnavailableException;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import io.provisioninghub.routes.rotation.Rotations;
import io.provisioninghub.routes.sms.SmsOutboxUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a campaign does to one device, exactly once (ROT-3, RECONF-2). In one hub-database transaction: the device
 * row is claimed (pending → done, only while the campaign dispatches), then the rotation is started
 * ({@link Rotations#start}, source {@code urn:provisioning-hub:campaign:<id>}, event id = IMSI) or the §3 trigger
 * queued ({@link CustomerCare#triggerReconfiguration}), then the outcome recorded. A second copy of the work
 * (redelivered chunk, another replica, a restart) finds the row no longer pending and does nothing; a failure
 * rolls everything back, the device stays pending and is tried again.
 */
@Component
class CampaignDevices {

    /** The rotation source of a campaign's rotations (CloudEvents source; the unique key is (source, IMSI)). */
    static final String SOURCE_PREFIX = "urn:provisioning-hub:campaign:";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignDevices.class);

    enum Outcome {
        /** acted on the device (whatever the result) */
        PROCESSED,
        /** the device was no longer pending (done by an earlier copy of the work, or cancelled) */
        NOT_PENDING,
        /** the campaign stopped dispatching (paused, cancelled) */
        CAMPAIGN_STOPPED
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Rotations rotations;
    private final CustomerCare customerCare;

    CampaignDevices(JdbcTemplate jdbc, TransactionTemplate transaction, Rotations rotations, CustomerCare customerCare) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.rotations = rotations;
        this.customerCare = customerCare;
    }

    /** A back end is away (HLR, billing, the hub's database, the broker): try the device again later. */
    static boolean transientFailure(RuntimeException e) {
        return e instanceof HlrUnavailableException || e instanceof BillingUnavailableException
                || e instanceof SmsOutboxUnavailableException || e instanceof DataAccessException
                || e instanceof org.apache.camel.CamelExecutionException;
    }

    /**
     * @throws RuntimeException a transient failure (see {@link #transientFailure}); nothing was done
     */
    Outcome process(Campaign campaign, String imsi) {
        Outcome outcome;
        try {
            outcome = transaction.execute(status -> processInTransaction(campaign, imsi));
        } catch (RuntimeException e) {
            if (transientFailure(e)) {
                throw e;
            }
            // Not a back end being away: recorded as this device's failure rather than retried for ever.
            LOG.warn("Campaign {}: device {} failed: {}", campaign.id(), Redaction.ref(imsi), e.getClass().getSimpleName());
            int changed = jdbc.update("UPDATE campaign_device SET state = 'failed', detail = ?, updated_at = now() "
                    + "WHERE campaign_id = ? AND imsi = ? AND state = 'pending'", "error: " + e.getClass().getSimpleName(),
                    campaign.id(), imsi);
            return changed > 0 ? Outcome.PROCESSED : Outcome.NOT_PENDING;
        }
        return outcome;
    }

    private Outcome processInTransaction(Campaign campaign, String imsi) {
        int claimed = jdbc.update("UPDATE campaign_device d SET state = 'done', updated_at = now() FROM campaign c "
                + "WHERE d.campaign_id = ? AND d.imsi = ? AND d.state = 'pending' AND c.id = d.campaign_id "
                + "AND c.state IN ('fanning_out', 'running')", campaign.id(), imsi);
        if (claimed == 0) {
            String state = jdbc.queryForObject("SELECT state FROM campaign WHERE id = ?", String.class, campaign.id());
            return "fanning_out".equals(state) || "running".equals(state) ? Outcome.NOT_PENDING : Outcome.CAMPAIGN_STOPPED;
        }
        if (campaign.rotation()) {
            rotate(campaign, imsi);
        } else {
            reconfigure(campaign, imsi);
        }
        return Outcome.PROCESSED;
    }

    private void rotate(Campaign campaign, String imsi) {
        String source = SOURCE_PREFIX + campaign.id();
        rotations.start(List.of(new Rotations.RotationRequest(source, imsi, imsi, campaign.reason())));
        List<Map<String, Object>> rotation = jdbc.queryForList(
                "SELECT state, failure_reason FROM rotation WHERE event_source = ? AND event_id = ?", source, imsi);
        if (rotation.isEmpty()) {
            // Rotations.start joins a rotation of the same subscriber in progress instead of starting a second.
            outcome(campaign, imsi, "skipped", "a rotation of this subscriber is already in progress");
        } else if ("failed".equals(rotation.get(0).get("state"))) {
            outcome(campaign, imsi, "failed", String.valueOf(rotation.get(0).get("failure_reason")));
        }
    }

    private void reconfigure(Campaign campaign, String imsi) {
        Optional<java.util.UUID> sms;
        try {
            sms = customerCare.triggerReconfiguration(imsi);
        } catch (IllegalStateException noMsisdn) {
            outcome(campaign, imsi, "skipped", "no MSISDN to send the trigger to");
            return;
        }
        if (sms.isEmpty()) {
            outcome(campaign, imsi, "skipped", "unknown subscriber");
        }
    }

    private void outcome(Campaign campaign, String imsi, String state, String detail) {
        jdbc.update("UPDATE campaign_device SET state = ?, detail = ?, updated_at = now() WHERE campaign_id = ? AND imsi = ?",
                state, detail.length() > 120 ? detail.substring(0, 120) : detail, campaign.id(), imsi);
    }

    /** The pending devices of a chunk, ascending. */
    List<String> pendingIn(long campaignId, String after, String through) {
        return jdbc.queryForList("SELECT imsi FROM campaign_device WHERE campaign_id = ? AND imsi > ? AND imsi <= ? "
                + "AND state = 'pending' ORDER BY imsi", String.class, campaignId, after, through);
    }

    /** The first pending devices of a campaign, ascending (the sweep). */
    List<String> firstPending(long campaignId, int limit) {
        return jdbc.queryForList("SELECT imsi FROM campaign_device WHERE campaign_id = ? AND state = 'pending' "
                + "ORDER BY imsi LIMIT ?", String.class, campaignId, limit);
    }
}
