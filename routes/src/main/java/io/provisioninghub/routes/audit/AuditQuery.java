package io.provisioninghub.routes.audit;

import java.time.Instant;

/**
 * Filters of {@code GET /operator/v1/audit}; null means "any".
 *
 * @param target a masked reference ({@code sub:…}), as stored: the API masks the identifier it is given
 * @param before only events with a smaller id (the next page)
 * @param limit  at most this many events
 */
public record AuditQuery(String subject, String action, String target, Outcome outcome, Instant from, Instant to,
                         Long before, int limit) {

    /** An answer's class: 2xx, 4xx or 5xx. */
    public enum Outcome {
        SUCCESS(200, 399), REFUSED(400, 499), FAILED(500, 599);

        private final int lowest;
        private final int highest;

        Outcome(int lowest, int highest) {
            this.lowest = lowest;
            this.highest = highest;
        }

        int lowest() {
            return lowest;
        }

        int highest() {
            return highest;
        }
    }
}
