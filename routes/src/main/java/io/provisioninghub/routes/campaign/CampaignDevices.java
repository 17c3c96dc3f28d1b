package io.provisioninghub.routes.campaign;

import io.provisioninghub.connectors.billing.BillingUnavailableException;
import io.provisioninghub.connectors.hlr.HlrUnavailableException;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import io.provisioninghub.routes.rotation.Rotations;
import io.provisioninghub.routes.tracing.FlowTracing;
import io.provisioninghub.routes.sms.SmsOutboxUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a campaign does to one device, exactly once (ROT-3, RECONF-2). In one hub-database transaction, for one device
 * or a group of them: the device rows are claimed (pending → done, only while the campaign dispatches), then the
 * rotations are started ({@link Rotations#start}, source {@code urn:provisioning-hub:campaign:<id>}, event id = IMSI)
 * or the §3 triggers queued ({@link CustomerCare#triggerReconfiguration}), then the outcomes recorded. A second copy
 * of the work (redelivered chunk, another replica, a restart) finds the rows no longer pending and does nothing; a
 * failure rolls everything back, the devices stay pending and are tried again.
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
    private final FlowTracing tracing;

    CampaignDevices(JdbcTemplate jdbc, TransactionTemplate transaction, Rotations rotations, CustomerCare customerCare,
                    FlowTracing tracing) {
        this.tracing = tracing;
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
     * {@link #processAll} for one device. A failure that is not a back end being away is recorded as this device's
     * failure rather than retried for ever.
     *
     * @throws RuntimeException a transient failure (see {@link #transientFailure}); nothing was done
     */
    Outcome process(Campaign campaign, String imsi) {
        Outcome outcome;
        try {
            outcome = transaction.execute(status -> processInTransaction(campaign, List.of(imsi))).get(imsi);
        } catch (RuntimeException e) {
            if (transientFailure(e)) {
                throw e;
            }
            LOG.warn("Campaign {}: device {} failed: {}", campaign.id(), Redaction.ref(imsi), e.getClass().getSimpleName());
            int changed = jdbc.update("UPDATE campaign_device SET state = 'failed', detail = ?, updated_at = now() "
                    + "WHERE campaign_id = ? AND imsi = ? AND state = 'pending'", "error: " + e.getClass().getSimpleName(),
                    campaign.id(), imsi);
            return changed > 0 ? Outcome.PROCESSED : Outcome.NOT_PENDING;
        }
        return outcome;
    }

    /**
     * Processes several devices in one transaction: one claim, one batch of rotations ({@link Rotations#start}: one
     * HLR lookup, one token revocation, the trigger SMS queued in one JMS commit), one outcome query. Per device this
     * costs a fraction of {@link #process}'s round trips, which is what lets a campaign keep up with a fast SMSC. A
     * failure that is not transient is not blamed on the whole group: each device is then processed on its own.
     *
     * @return each device's outcome, in the given order
     * @throws RuntimeException a transient failure (see {@link #transientFailure}); nothing was done
     */
    Map<String, Outcome> processAll(Campaign campaign, List<String> imsis) {
        if (imsis.size() == 1) {
            return Map.of(imsis.get(0), process(campaign, imsis.get(0)));
        }
        try {
            return transaction.execute(status -> processInTransaction(campaign, imsis));
        } catch (RuntimeException e) {
            if (transientFailure(e)) {
                throw e;
            }
            LOG.warn("Campaign {}: a group of {} devices failed ({}); processing them one by one", campaign.id(),
                    imsis.size(), e.getClass().getSimpleName());
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            for (String imsi : imsis) {
                outcomes.put(imsi, process(campaign, imsi));
            }
            return outcomes;
        }
    }

    private Map<String, Outcome> processInTransaction(Campaign campaign, List<String> imsis) {
        // The campaign row first, shared: a pause or cancel (which update that row before the devices) then waits for
        // this transaction, or this one for theirs, and sees its outcome. Without it, a cancel's update of the
        // pending devices and this claim of several of them could lock rows in opposite orders and deadlock.
        String state = jdbc.queryForObject("SELECT state FROM campaign WHERE id = ? FOR SHARE", String.class, campaign.id());
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        if (!Campaign.dispatching(state)) {
            imsis.forEach(imsi -> outcomes.put(imsi, Outcome.CAMPAIGN_STOPPED));
            return outcomes;
        }
        List<String> claimed = jdbc.queryForList("UPDATE campaign_device SET state = 'done', updated_at = now() "
                + "WHERE campaign_id = ? AND imsi = ANY(?::varchar[]) AND state = 'pending' RETURNING imsi", String.class,
                campaign.id(), imsis.toArray(String[]::new));
        imsis.forEach(imsi -> outcomes.put(imsi, Outcome.NOT_PENDING));
        if (claimed.isEmpty()) {
            return outcomes;
        }
        claimed.forEach(imsi -> outcomes.put(imsi, Outcome.PROCESSED));
        if (campaign.rotation()) {
            rotate(campaign, claimed);
        } else {
            // One trace per device: the trigger SMS's sending continues it.
            claimed.forEach(imsi -> tracing.run("hub.campaign.reconfiguration", "campaign", null,
                    () -> reconfigure(campaign, imsi)));
        }
        return outcomes;
    }

    private void rotate(Campaign campaign, List<String> imsis) {
        String source = SOURCE_PREFIX + campaign.id();
        // One trace per device's rotation, started here (its SMS, proposal and result event continue it).
        rotations.start(imsis.stream().map(imsi -> new Rotations.RotationRequest(source, imsi, imsi, campaign.reason(),
                tracing.step("hub.campaign.rotation", "campaign", null))).toList());
        Map<String, Map<String, Object>> rotation = new HashMap<>();
        jdbc.queryForList("SELECT event_id, state, failure_reason FROM rotation WHERE event_source = ? "
                        + "AND event_id = ANY(?::varchar[])", source, imsis.toArray(String[]::new))
                .forEach(row -> rotation.put((String) row.get("event_id"), row));
        for (String imsi : imsis) {
            Map<String, Object> row = rotation.get(imsi);
            if (row == null) {
                // Rotations.start joins a rotation of the same subscriber in progress instead of starting a second.
                outcome(campaign, imsi, "skipped", "a rotation of this subscriber is already in progress");
            } else if ("failed".equals(row.get("state"))) {
                outcome(campaign, imsi, "failed", String.valueOf(row.get("failure_reason")));
            }
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
