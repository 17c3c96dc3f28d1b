package io.provisioninghub.routes.campaign;

import io.provisioninghub.routes.configuration.ConfigurationChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RECONF-2, "triggered by a change of a service's template": at start-up each replica compares the fingerprint of
 * every service's template (bound to every home network) with the one recorded in the database. The comparison,
 * the new record, the resend marks and the campaign are one transaction under a PostgreSQL advisory lock, so when
 * several replicas start with the new templates exactly one of them starts the campaign. The very first start
 * (nothing recorded) records and triggers nothing. Runs in the background, retried until the database answers.
 */
@Component
class TemplateChangeCampaign {

    static final String ORIGIN = "template-change";
    private static final Logger LOG = LoggerFactory.getLogger(TemplateChangeCampaign.class);
    private static final int MAX_ATTEMPTS = 20;

    private final ConfigurationChanges changes;
    private final Campaigns campaigns;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TemplateChangeProperties properties;
    private final CampaignProperties campaignProperties;

    TemplateChangeCampaign(ConfigurationChanges changes, Campaigns campaigns, JdbcTemplate jdbc,
                           TransactionTemplate transaction, TemplateChangeProperties properties,
                           CampaignProperties campaignProperties) {
        this.changes = changes;
        this.campaigns = campaigns;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.campaignProperties = campaignProperties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        Thread thread = new Thread(() -> {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                try {
                    check();
                    return;
                } catch (RuntimeException e) {
                    Duration delay = campaignProperties.retryDelay(attempt);
                    LOG.warn("Template change check failed ({}), retrying in {} ms", e.getClass().getSimpleName(), delay.toMillis());
                    CampaignWorkers.sleep(delay, () -> true);
                }
            }
            LOG.error("Template change check gave up after {} attempts; restart the hub to check again", MAX_ATTEMPTS);
        }, "template-change-check");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the campaign started, or null */
    Long check() {
        return transaction.execute(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, campaignProperties.templateChangeLockKey());
            Map<String, String> recorded = new HashMap<>();
            jdbc.query("SELECT service, fingerprint FROM service_template_fingerprint",
                    rs -> {
                        recorded.put(rs.getString(1), rs.getString(2));
                    });
            Map<String, String> current = changes.serviceFingerprints();
            TreeSet<String> changed = new TreeSet<>();
            current.forEach((service, fingerprint) -> {
                if (!fingerprint.equals(recorded.get(service))) {
                    changed.add(service);
                }
            });
            recorded.keySet().stream().filter(service -> !current.containsKey(service)).forEach(changed::add);
            if (changed.isEmpty()) {
                return null;
            }
            jdbc.update("DELETE FROM service_template_fingerprint");
            current.forEach((service, fingerprint) -> jdbc.update(
                    "INSERT INTO service_template_fingerprint (service, fingerprint) VALUES (?, ?)", service, fingerprint));
            if (recorded.isEmpty()) {
                LOG.info("Service template fingerprints recorded for {} (first start: nothing to trigger)", current.keySet());
                return null;
            }
            int marked = changes.markServedSubscribersForResend();
            LOG.info("Service template(s) changed: {}; {} served subscriber(s) marked for the full document", changed, marked);
            if (!properties.enabled()) {
                return null;
            }
            List<String> services = new ArrayList<>(changed);
            return campaigns.create("reconfiguration", new CampaignSelection.Served(List.copyOf(services)),
                    properties.smsRatePerSecond(), null, ORIGIN);
        });
    }
}
