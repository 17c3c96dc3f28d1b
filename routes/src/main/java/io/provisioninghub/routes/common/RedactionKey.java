package io.provisioninghub.routes.common;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.HexFormat;

/**
 * Installs the key of {@link Redaction}'s log references, so that every replica (and every restart) refers to a
 * subscriber by the same {@code sub:...} value: in the logs, and in the audit trail's targets, which the audit API
 * searches by them. {@code hub.logging.redaction-key} when set; otherwise a key derived from the hub's secret
 * ({@link HubSecretKey}, the same on every replica), so references correlate without one more secret to manage.
 */
@Component
class RedactionKey {

    RedactionKey(@Value("${hub.logging.redaction-key:}") String key, HubSecretKey secret) {
        Redaction.useKey(key.isBlank() ? HexFormat.of().formatHex(secret.derive("logging/redaction-key/v1")) : key);
    }
}
