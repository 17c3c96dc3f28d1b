package io.provisioninghub.routes.campaign;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The periodic credential refresh (issue 4; {@code hub.rotation.refresh.*}): a rotation campaign over the
 * credentials older than {@code max-credential-age}. Asked by the campaign leader at each check, so one replica
 * at a time decides; the decision reads only the database (when the last refresh campaign started, whether it is
 * still open), so a new leader carries on where the old one stopped.
 */
@Component
class RotationRefresh {

    static final String ORIGIN = "refresh";
    private static final Logger LOG = LoggerFactory.getLogger(RotationRefresh.class);

    private final RotationRefreshProperties properties;
    private final Campaigns campaigns;
    private final JdbcTemplate jdbc;

    RotationRefresh(RotationRefreshProperties properties, Campaigns campaigns, JdbcTemplate jdbc) {
        this.properties = properties;
        this.campaigns = campaigns;
        this.jdbc = jdbc;
        if (properties.enabled() && properties.smsRatePerSecond() > campaigns.smsRateCap()) {
            LOG.warn("hub.rotation.refresh.sms-rate-per-second ({}) is above hub.sms.rate-per-second ({}); using the latter",
                    properties.smsRatePerSecond(), campaigns.smsRateCap());
        }
    }

    /** @return the new campaign's id, or null when none is due */
    Long startIfDue() {
        if (!properties.enabled()) {
            return null;
        }
        // Not while the previous one is open, and not before check-interval has passed since it started.
        List<Boolean> due = jdbc.queryForList("SELECT NOT EXISTS (SELECT 1 FROM campaign WHERE origin = ? AND "
                        + "(state IN ('fanning_out', 'running', 'paused') OR created_at > now() - make_interval(secs => ?)))",
                Boolean.class, ORIGIN, (double) properties.checkInterval().toMillis() / 1000.0);
        if (due.isEmpty() || !due.get(0)) {
            return null;
        }
        long id = campaigns.create("rotation", new CampaignSelection.CredentialAge(properties.maxCredentialAgeDays()),
                properties.smsRatePerSecond(), properties.reason(), ORIGIN);
        LOG.info("Periodic credential refresh: campaign {} over credentials older than {} day(s)", id,
                properties.maxCredentialAgeDays());
        return id;
    }
}
