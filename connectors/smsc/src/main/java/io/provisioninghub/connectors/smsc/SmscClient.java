package io.provisioninghub.connectors.smsc;

import java.util.List;

/**
 * Submits SMS to the operator's SMSC over SMPP 3.4 (INT-3), one submit_sm per segment, delivery receipts
 * requested. Synchronous: returns once the SMSC answered every segment's submit_sm.
 */
public interface SmscClient {

    /**
     * @return the SMSC's message id of each segment, in order
     * @throws SmscThrottledException   ESME_RTHROTTLED / ESME_RMSGQFUL: retry later (back-off)
     * @throws SmscUnavailableException no session (SMSC down, bind refused, connection lost, timeout): retry later
     * @throws SmscRejectedException    any other error status, or content that cannot be encoded: do not retry
     */
    List<String> submit(SmsMessage message);
}
