package io.provisioninghub.connectors.smsc;

import java.time.Instant;

/**
 * A delivery receipt (SMPP 3.4 Appendix B: deliver_sm with esm_class receipt), correlated by the SMSC message id
 * that the submit_sm_resp returned.
 *
 * @param smscMessageId as returned in submit_sm_resp
 * @param state         DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN or REJECTD
 * @param errorCode     the receipt's err field, or null
 * @param doneAt        the receipt's done date, or the time it was received when absent
 */
public record DeliveryReceipt(String smscMessageId, String state, String errorCode, Instant doneAt) {
}
