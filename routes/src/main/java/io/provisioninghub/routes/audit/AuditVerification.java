package io.provisioninghub.routes.audit;

/**
 * What {@code GET /operator/v1/audit/verify} found.
 *
 * @param valid    every row from the anchor to the head links, carries its own seal, and none is missing
 * @param checked  rows checked before the answer
 * @param firstId  the oldest row kept (null when there is none)
 * @param lastId   the last row checked and found whole (null when there is none)
 * @param brokenAt the first row that is missing or does not match, null when valid
 * @param reason   what is wrong there, null when valid
 */
public record AuditVerification(boolean valid, long checked, Long firstId, Long lastId, Long brokenAt, String reason) {

    static AuditVerification valid(long checked, Long firstId, Long lastId) {
        return new AuditVerification(true, checked, firstId, lastId, null, null);
    }

    static AuditVerification broken(long checked, Long firstId, Long lastId, long brokenAt, String reason) {
        return new AuditVerification(false, checked, firstId, lastId, brokenAt, reason);
    }
}
