package io.provisioninghub.routes.common;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Installs {@code hub.logging.redaction-key} as the key of {@link Redaction}'s log references, so that every
 * replica (and every restart) refers to a subscriber by the same {@code sub:...} value. Unset, each JVM uses a
 * random key: references are still safe, only not comparable across processes.
 */
@Component
class RedactionKey {

    RedactionKey(@Value("${hub.logging.redaction-key:}") String key) {
        Redaction.useKey(key);
    }
}
