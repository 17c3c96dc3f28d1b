package io.provisioninghub.connectors.smsc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a delivery receipt: the text of SMPP 3.4 Appendix B
 * ({@code id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E
 * text:...}) and the receipted_message_id TLV (SMPP 3.4 §5.3.2.12).
 * <p>
 * The id comes from receipted_message_id when the SMSC sends it: Appendix B is "vendor specific", and some
 * SMSCs write the id in the text in another base than in submit_sm_resp, while the TLV repeats it as
 * submitted. The {@code text:} field (the first characters of the SMS, possibly an OTP) is never read.
 */
final class DeliveryReceipts {

    private static final Pattern ID = Pattern.compile("(?i)(?:^|\\s)id:(\\S+)");
    private static final Pattern STAT = Pattern.compile("(?i)(?:^|\\s)stat:(\\S+)");
    private static final Pattern ERR = Pattern.compile("(?i)(?:^|\\s)err:(\\S+)");
    private static final Pattern DONE = Pattern.compile("(?i)(?:^|\\s)done date:(\\d{10}(?:\\d{2})?)");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyMMddHHmm", Locale.ROOT);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyMMddHHmmss", Locale.ROOT);

    private DeliveryReceipts() {
    }

    /**
     * @param shortMessage       the receipt's short_message (or message_payload)
     * @param dataCoding         its data_coding: UCS2 (0x08) is read as UTF-16BE, anything else as Latin-1
     *                           (receipt fields are ASCII either way)
     * @param receiptedMessageId the receipted_message_id TLV, or null
     * @param zone               the zone of the SMSC's dates
     * @param receivedAt         used when the receipt has no readable done date
     * @return the receipt, or null when it names no message id (it cannot be correlated)
     */
    static DeliveryReceipt parse(byte[] shortMessage, byte dataCoding, String receiptedMessageId, ZoneId zone,
                                 Instant receivedAt) {
        String text = shortMessage == null ? ""
                : new String(shortMessage, dataCoding == SmsEncoder.DATA_CODING_UCS2
                        ? StandardCharsets.UTF_16BE : StandardCharsets.ISO_8859_1);
        // Only the fields before "text:" are read: what follows is the SMS itself.
        int textField = text.toLowerCase(Locale.ROOT).indexOf("text:");
        String fields = textField >= 0 ? text.substring(0, textField) : text;

        String id = receiptedMessageId == null ? null : stripNul(receiptedMessageId).strip();
        if (id == null || id.isEmpty()) {
            id = field(ID, fields);
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        String state = field(STAT, fields);
        String error = field(ERR, fields);
        return new DeliveryReceipt(id, state == null ? "UNKNOWN" : state.toUpperCase(Locale.ROOT), error,
                doneAt(field(DONE, fields), zone, receivedAt));
    }

    private static Instant doneAt(String value, ZoneId zone, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(value, value.length() == 12 ? SECONDS : MINUTES);
            return local.atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static String field(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String stripNul(String value) {
        int end = value.indexOf('\0');
        return end >= 0 ? value.substring(0, end) : value;
    }
}
