package io.provisioninghub.connectors.smsc;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.ZoneId;

/**
 * {@code hub.smsc.*}: the operator's SMSC and the one SMPP 3.4 session the hub keeps to it (INT-3).
 * Lengths are SMPP 3.4's (§5.2, C-octet strings without their terminating NUL).
 *
 * @param host               SMSC host name or address. Unset or blank: no SMSC is configured; the hub starts
 *                           and every submit fails with {@link SmscUnavailableException}
 * @param port               SMSC TCP port
 * @param tls                {@code smpps://}: TLS to the SMSC, trusting the JVM's default trust store
 * @param systemId           the hub's system_id in bind (required when {@code host} is set), at most 15
 *                           characters
 * @param password           the bind password, at most 8 characters; kept out of {@link #toString()} and
 *                           never logged
 * @param systemType         the bind's system_type, at most 12 characters; usually empty
 * @param bindType           TRANSCEIVER (default): one session sends submit_sm and receives the delivery
 *                           receipts. TRANSMITTER: send only; the SMSC then delivers receipts to a receiver
 *                           session, which the hub does not open, so no receipt reaches a
 *                           {@link DeliveryReceiptListener} (set {@code registered-delivery=false} with it)
 * @param addressRange       the bind's address_range. camel-smpp 4.17's producer always binds with an empty
 *                           address_range, so a value here is not sent (the hub warns at start)
 * @param sourceAddress      source_addr of every submit_sm: an alphanumeric sender ("Hub", at most 11
 *                           characters reach a phone) or a number
 * @param sourceTon          source_addr_ton: 5 (alphanumeric) by default, 1 for an international number
 * @param sourceNpi          source_addr_npi: 0 (unknown) by default, 1 (ISDN/E.164) for a number
 * @param destTon            dest_addr_ton: 1 (international); the destination is sent as E.164 digits without
 *                           the '+'
 * @param destNpi            dest_addr_npi: 1 (ISDN, E.164)
 * @param enquireLinkTimer   idle time after which the hub sends enquire_link to check the session; camel-smpp
 *                           also uses it as the TCP connect timeout
 * @param transactionTimer   longest wait for any answer (submit_sm_resp, enquire_link_resp); a submit also
 *                           waits at most this long for a session that is being bound
 * @param reconnectDelay     pause between attempts to bind again after the session is lost or could not be
 *                           bound
 * @param bindTimeout        longest wait for the bind_resp once the TCP connection is up (1 s to 60 s). Past it,
 *                           or as soon as the connection closes under a bind, the hub gives that bind up and
 *                           binds again after {@code reconnectDelay}. Without it jSMPP (under camel-smpp) waits
 *                           a fixed 60 s, closed connection or not, and while it waits nothing is sent and no
 *                           other bind is tried. The TCP connect before the bind is bounded by
 *                           {@code enquireLinkTimer}
 * @param registeredDelivery request a delivery receipt for every segment (registered_delivery 0x01)
 * @param maxSegments        most segments a plain SMS may take; a longer text is refused
 * @param receiptTimeZone    time zone of the receipts' "done date" (SMPP 3.4 Appendix B gives none; it is
 *                           the SMSC's local time)
 */
@Validated
@ConfigurationProperties(prefix = "hub.smsc")
public record SmscProperties(String host,
                             @DefaultValue("2775") @Min(1) @Max(65_535) int port,
                             @DefaultValue("false") boolean tls,
                             @Size(max = 15) String systemId,
                             @Size(max = 8) String password,
                             @DefaultValue("") @NotNull @Size(max = 12) String systemType,
                             @DefaultValue("TRANSCEIVER") @NotNull BindType bindType,
                             @DefaultValue("") @NotNull @Size(max = 40) String addressRange,
                             @DefaultValue("Hub") @NotBlank @Size(max = 20) String sourceAddress,
                             @DefaultValue("5") @Min(0) @Max(6) int sourceTon,
                             @DefaultValue("0") @Min(0) @Max(18) int sourceNpi,
                             @DefaultValue("1") @Min(0) @Max(6) int destTon,
                             @DefaultValue("1") @Min(0) @Max(18) int destNpi,
                             @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1)
                             Duration enquireLinkTimer,
                             @DefaultValue("5s") @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 10)
                             Duration transactionTimer,
                             @DefaultValue("2s") @NotNull @DurationMin(millis = 10) @DurationMax(hours = 1)
                             Duration reconnectDelay,
                             @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) @DurationMax(seconds = 60)
                             Duration bindTimeout,
                             @DefaultValue("true") boolean registeredDelivery,
                             @DefaultValue("6") @Min(1) @Max(255) int maxSegments,
                             @DefaultValue("UTC") @NotNull ZoneId receiptTimeZone) {

    /** How the hub binds (SMPP 3.4 §2.2). */
    public enum BindType {
        /** bind_transceiver: submit_sm out, deliver_sm (receipts) in, on one session. */
        TRANSCEIVER,
        /** bind_transmitter: submit_sm only; no receipts reach the hub. */
        TRANSMITTER
    }

    /** True when {@link #host()} is set: the connector then binds to the SMSC. */
    public boolean isConfigured() {
        return host != null && !host.isBlank();
    }

    /** {@code smpp://host:port} or {@code smpps://host:port}: for log lines (no credentials). */
    public String address() {
        String h = host == null ? "" : host.strip();
        return (tls ? "smpps://" : "smpp://") + (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }

    @AssertTrue(message = "system-id is required when host is set")
    boolean isSystemIdSetWhenConfigured() {
        return !isConfigured() || (systemId != null && !systemId.isBlank());
    }

    // Records print every component; this one must never print the password (logs, actuator, failures).
    @Override
    public String toString() {
        return "SmscProperties[host=" + host + ", port=" + port + ", tls=" + tls + ", systemId=" + systemId
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "******")
                + ", systemType=" + systemType + ", bindType=" + bindType + ", addressRange=" + addressRange
                + ", sourceAddress=" + sourceAddress + ", sourceTon=" + sourceTon + ", sourceNpi=" + sourceNpi
                + ", destTon=" + destTon + ", destNpi=" + destNpi + ", enquireLinkTimer=" + enquireLinkTimer
                + ", transactionTimer=" + transactionTimer + ", reconnectDelay=" + reconnectDelay
                + ", bindTimeout=" + bindTimeout
                + ", registeredDelivery=" + registeredDelivery + ", maxSegments=" + maxSegments
                + ", receiptTimeZone=" + receiptTimeZone + "]";
    }
}
