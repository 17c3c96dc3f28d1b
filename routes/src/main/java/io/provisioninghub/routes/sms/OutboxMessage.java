package io.provisioninghub.routes.sms;

import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.connectors.smsc.SmsMessage;

import java.util.UUID;

/**
 * The body of an outbox message (JSON in an Artemis text message).
 *
 * @param port      the destination application port, or null for a user-visible SMS
 * @param sealedText the text, encrypted by {@link OutboxSeal} (an OTP never waits in the broker in clear)
 * @param attempt   submits already tried (0 for a new SMS)
 * @param expiresAt epoch milliseconds after which the SMS is pointless (an OTP past its validity), or 0
 * @param waits     times the sender found no record for it yet (see {@link SmsRecords.Claim#MISSING})
 */
record OutboxMessage(UUID reference, String destination, Integer port, String sealedText, int attempt, long expiresAt,
                     int waits, String traceParent) {

    /** @param traceParent the W3C traceparent of the work that queued it (its sending continues that trace), or null */
    static OutboxMessage of(UUID reference, String destination, SmsContent content, long expiresAt, OutboxSeal seal,
                            String traceParent) {
        if (content instanceof SmsContent.PortAddressed addressed) {
            return new OutboxMessage(reference, destination, addressed.destinationPort(),
                    seal.seal(reference, addressed.text()), 0, expiresAt, 0, traceParent);
        }
        return new OutboxMessage(reference, destination, null, seal.seal(reference, ((SmsContent.Plain) content).text()),
                0, expiresAt, 0, traceParent);
    }

    /** @throws IllegalArgumentException when the text does not open (another hub key, or altered) */
    SmsMessage toSms(OutboxSeal seal) {
        String text = seal.open(reference, sealedText);
        SmsContent content = port == null ? new SmsContent.Plain(text) : new SmsContent.PortAddressed(port, text);
        return new SmsMessage(reference.toString(), destination, content);
    }

    OutboxMessage nextAttempt() {
        return new OutboxMessage(reference, destination, port, sealedText, attempt + 1, expiresAt, waits, traceParent);
    }

    OutboxMessage waited() {
        return new OutboxMessage(reference, destination, port, sealedText, attempt, expiresAt, waits + 1, traceParent);
    }

    boolean expired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }

    @Override
    public String toString() {
        return "OutboxMessage[" + reference + ", attempt " + attempt + "]";
    }
}
