package io.provisioninghub.connectors.smsc;

/**
 * One SMS to submit.
 *
 * @param reference   the hub's own id of the message (for logs and receipt correlation); never the content
 * @param destination E.164 MSISDN, with or without the leading '+'
 */
public record SmsMessage(String reference, String destination, SmsContent content) {

    @Override
    public String toString() {
        // The content may be an OTP: never in a log line.
        return "SmsMessage[reference=" + reference + "]";
    }
}
