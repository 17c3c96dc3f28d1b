package io.provisioninghub.routes.sms;

import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.connectors.smsc.SmsMessage;

import java.util.UUID;

/**
 * The body of an outbox message (JSON in an Artemis text message).
 *
 * @param port      the destination application port, or null for a user-visible SMS
 * @param attempt   submits already tried (0 for a new SMS)
 * @param expiresAt epoch milliseconds after which the SMS is pointless (an OTP past its validity), or 0
 * @param waits     times the sender found no record for it yet (see {@link SmsRecords.Claim#MISSING})
 */
record OutboxMessage(UUID reference, String destination, Integer port, String text, int attempt, long expiresAt,
                     int waits) {

    static OutboxMessage of(UUID reference, String destination, SmsContent content, long expiresAt) {
        if (content instanceof SmsContent.PortAddressed addressed) {
            return new OutboxMessage(reference, destination, addressed.destinationPort(), addressed.text(), 0, expiresAt, 0);
        }
        return new OutboxMessage(reference, destination, null, ((SmsContent.Plain) content).text(), 0, expiresAt, 0);
    }

    SmsMessage toSms() {
        SmsContent content = port == null ? new SmsContent.Plain(text) : new SmsContent.PortAddressed(port, text);
        return new SmsMessage(reference.toString(), destination, content);
    }

    OutboxMessage nextAttempt() {
        return new OutboxMessage(reference, destination, port, text, attempt + 1, expiresAt, waits);
    }

    OutboxMessage waited() {
        return new OutboxMessage(reference, destination, port, text, attempt, expiresAt, waits + 1);
    }

    boolean expired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }

    @Override
    public String toString() {
        return "OutboxMessage[" + reference + ", attempt " + attempt + "]";
    }
}
