package io.provisioninghub.routes.configuration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * What a change of the configured services means for the subscribers (RECONF-2), for the campaign that follows
 * it: the fingerprint of each service's template, and the resend mark for everyone who was served a configuration.
 */
@Component
public class ConfigurationChanges {

    private final ConfigurationTemplates templates;
    private final JdbcTemplate jdbc;

    ConfigurationChanges(ConfigurationTemplates templates, JdbcTemplate jdbc) {
        this.templates = templates;
        this.jdbc = jdbc;
    }

    /** service name → SHA-256 (hex) of its template bound to every home network. */
    public Map<String, String> serviceFingerprints() {
        return templates.serviceFingerprints();
    }

    /**
     * Marks every subscriber that was ever sent a full document (RCC.14 §2.2.4 case 3): its next check gets the
     * full document again. subscriber_config does not record which services a subscriber was sent, so a change
     * of one service marks every served subscriber; those without the service get an unchanged document.
     *
     * @return the number marked
     */
    public int markServedSubscribersForResend() {
        return jdbc.update("UPDATE subscriber_config SET resend_requested = TRUE, updated_at = now() "
                + "WHERE last_version > 0 AND NOT resend_requested");
    }
}
