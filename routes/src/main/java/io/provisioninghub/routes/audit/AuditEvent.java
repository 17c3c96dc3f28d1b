package io.provisioninghub.routes.audit;

import java.time.Instant;
import java.util.List;

/**
 * One row of the audit trail: who did what to which target, with what outcome.
 *
 * @param id         consecutive from 1 (a gap is a missing row)
 * @param at         when the hub answered, to the microsecond
 * @param subject    the token's subject: a person's user name, or a client's id for client credentials
 * @param clientId   the OAuth client the token was issued to, when the token names it
 * @param roles      the hub roles the token granted
 * @param action     what was asked, e.g. {@code campaign.start} (docs/security.md lists them)
 * @param target     a subscriber as a masked reference ({@code sub:…}), or a non-personal id ({@code campaign:12}); null
 *                   where the action has none
 * @param parameters what matters about the action as a JSON object (a campaign's selection and rate …), identifiers
 *                   masked; never an OTP, token or key
 * @param status     the HTTP status the hub answered
 * @param reason     why a refusal or a failure, else null
 * @param traceId    the request's trace id (W3C traceparent, or one the hub made), also sent as X-Trace-Id
 */
public record AuditEvent(long id, Instant at, String subject, String clientId, List<String> roles, String action,
                         String target, String parameters, int status, String reason, String traceId) {
}
