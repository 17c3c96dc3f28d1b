package io.provisioninghub.connectors.hlr;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link HlrClient} over the Camel routes of {@link HlrRoutes}. Thread-safe: the producer template is, and
 * the endpoints are resolved once here rather than per call.
 * <p>
 * Identifiers never leave this class in a log line or an exception message: failures name only the kind of
 * lookup, and the database's exception travels as the cause.
 */
final class CamelHlrClient implements HlrClient {

    private static final int IMSI_MIN_DIGITS = 6;   // MCC + MNC + at least one MSIN digit, as OsmoHLR accepts
    private static final int IMSI_MAX_DIGITS = 15;
    private static final int E164_MAX_DIGITS = 15;

    private final ProducerTemplate producer;
    private final Endpoint findByImsi;
    private final Endpoint findByMsisdn;
    private final Endpoint updateCredential;

    CamelHlrClient(ProducerTemplate producer) {
        this.producer = producer;
        this.findByImsi = producer.getCamelContext().getEndpoint(HlrRoutes.FIND_BY_IMSI);
        this.findByMsisdn = producer.getCamelContext().getEndpoint(HlrRoutes.FIND_BY_MSISDN);
        this.updateCredential = producer.getCamelContext().getEndpoint(HlrRoutes.UPDATE_CREDENTIAL);
    }

    @Override
    public Optional<HlrSubscriber> findByImsi(String imsi) {
        // Malformed input cannot match a subscriber: answer without a round trip, and without an exception
        // that a caller might log together with the value.
        if (!isDigits(imsi, IMSI_MIN_DIGITS, IMSI_MAX_DIGITS)) {
            return Optional.empty();
        }
        return lookup(findByImsi, HlrRoutes.IMSI, imsi, "IMSI");
    }

    @Override
    public Optional<HlrSubscriber> findByMsisdn(String msisdn) {
        // The contract is E.164 with '+'; OsmoHLR stores the digits alone.
        if (msisdn == null || msisdn.isEmpty() || msisdn.charAt(0) != '+') {
            return Optional.empty();
        }
        String digits = msisdn.substring(1);
        if (!isDigits(digits, 1, E164_MAX_DIGITS)) {
            return Optional.empty();
        }
        return lookup(findByMsisdn, HlrRoutes.MSISDN, digits, "MSISDN");
    }

    @Override
    public boolean updateCredential(String imsi, String k, String opc) {
        if (!isHex128(k) || !isHex128(opc)) {
            throw new IllegalArgumentException("K and OPc must be 32 hex digits");
        }
        if (!isDigits(imsi, IMSI_MIN_DIGITS, IMSI_MAX_DIGITS)) {
            return false;
        }
        Exchange reply;
        try {
            reply = producer.send(updateCredential, exchange -> {
                exchange.getMessage().setHeader(HlrRoutes.IMSI, imsi);
                exchange.getMessage().setHeader(HlrRoutes.K, k.toLowerCase(java.util.Locale.ROOT));
                exchange.getMessage().setHeader(HlrRoutes.OPC, opc.toLowerCase(java.util.Locale.ROOT));
            });
        } catch (RuntimeException e) {
            throw new HlrUnavailableException("HLR credential update could not be sent", e);
        }
        if (reply.getException() != null) {
            throw new HlrUnavailableException("HLR credential update failed", reply.getException());
        }
        Number updated = reply.getMessage().getHeader("CamelSqlUpdateCount", Number.class);
        return updated != null && updated.intValue() > 0;
    }

    private static boolean isHex128(String value) {
        return value != null && value.matches("[0-9a-fA-F]{32}");
    }

    private Optional<HlrSubscriber> lookup(Endpoint endpoint, String header, String value, String kind) {
        Exchange reply;
        try {
            reply = producer.send(endpoint, exchange -> exchange.getMessage().setHeader(header, value));
        } catch (RuntimeException e) {
            // e.g. the Camel context is stopping: for the device this is the same as an unreachable HLR
            throw new HlrUnavailableException("HLR lookup by " + kind + " could not be sent", e);
        }
        Exception failure = reply.getException();
        if (failure != null) {
            throw new HlrUnavailableException("HLR lookup by " + kind + " failed", failure);
        }
        Object row = reply.getMessage().getBody();
        if (row == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(toSubscriber((Map<?, ?>) row));
        } catch (RuntimeException e) {
            // A row this client cannot read (an HLR whose schema differs from the one documented) is an
            // HLR problem for the caller too; the message says what, never which subscriber.
            throw new HlrUnavailableException("HLR lookup by " + kind + " returned a row of unexpected shape", e);
        }
    }

    private static HlrSubscriber toSubscriber(Map<?, ?> row) {
        String msisdn = (String) row.get("msisdn");
        return new HlrSubscriber(
                ((Number) row.get("id")).longValue(),
                (String) row.get("imsi"),
                msisdn == null ? null : "+" + msisdn,
                imeiWithCheckDigit((String) row.get("imei")),
                services(row.get("barred_services")),
                services(row.get("opted_out_services")));
    }

    @SuppressWarnings("unchecked") // HlrRoutes' row mapper turns every SQL array into a List<String>
    private static Set<String> services(Object value) {
        if (value == null) {
            return Set.of();
        }
        return Set.copyOf((Collection<? extends String>) value);
    }

    /**
     * The IMEI as 15 digits. OsmoHLR stores 14 (TAC + serial, no check digit); the stand-in stores 15.
     * Anything else (an IMEISV, a malformed value) is reported as unknown rather than passed on.
     */
    static String imeiWithCheckDigit(String imei) {
        if (isDigits(imei, 15, 15)) {
            return imei;
        }
        if (isDigits(imei, 14, 14)) {
            return imei + luhnCheckDigit(imei);
        }
        return null;
    }

    /** Luhn check digit for a digit string (3GPP TS 23.003 Annex B for IMEIs). */
    static char luhnCheckDigit(String body) {
        int sum = 0;
        // Walking from the right, the digit next to the (missing) check digit is doubled, then every other one.
        boolean doubled = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int digit = body.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static boolean isDigits(String value, int minLength, int maxLength) {
        if (value == null || value.length() < minLength || value.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
