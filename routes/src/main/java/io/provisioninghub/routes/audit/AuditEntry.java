package io.provisioninghub.routes.audit;

import java.util.List;

/** What an operator route hands to {@link AuditTrail#append}: an {@link AuditEvent} before it has an id and a time. */
public record AuditEntry(String subject, String clientId, List<String> roles, String action, String target,
                         String parameters, int status, String reason, String traceId) {
}
