package io.provisioninghub.connectors.smsc.simulator;

import io.provisioninghub.connectors.smsc.GsmAlphabet;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One submit_sm as the simulator received and answered it. Arrays are copied in and out.
 *
 * @param receivedAt         when it was read
 * @param systemId           the system_id the session bound with
 * @param sequenceNumber     its sequence_number
 * @param sourceAddress      source_addr
 * @param destinationAddress destination_addr, as sent (E.164 digits without '+' from the hub)
 * @param esmClass           esm_class (0x40: the short message starts with a UDH)
 * @param dataCoding         data_coding (0x00 GSM 7-bit default alphabet, 0x08 UCS2)
 * @param registeredDelivery registered_delivery (0x01: a receipt is requested)
 * @param shortMessage       the short_message octets (UDH included); message_payload's when short_message is
 *                           empty
 * @param pdu                the whole submit_sm PDU, octet for octet as read from the TCP connection (captured
 *                           in the session's PDU reader: header and body exactly as on the wire)
 * @param udh                the user data header, its length octet included, or null without UDHI
 * @param destinationPort    destination port of an application port addressing IE (16-bit 0x05 or 8-bit 0x04),
 *                           or null
 * @param concatReference    reference of a concatenation IE (8-bit 0x00 or 16-bit 0x08), or null
 * @param concatTotal        its total number of segments, or null
 * @param concatSequence     its 1-based sequence number, or null
 * @param text               the text after the UDH: UCS2 read as UTF-16BE, data_coding 0 as unpacked GSM 7-bit,
 *                           0x01 as ASCII, 0x03 as Latin-1; null for 8-bit binary
 * @param commandStatus      what the simulator answered (0 = accepted)
 * @param messageId          the message_id it answered, null when it answered an error
 */
public record RecordedSubmit(Instant receivedAt, String systemId, int sequenceNumber, String sourceAddress,
                             String destinationAddress, int esmClass, int dataCoding, int registeredDelivery,
                             byte[] shortMessage, byte[] pdu, byte[] udh, Integer destinationPort,
                             Integer concatReference, Integer concatTotal, Integer concatSequence, String text,
                             int commandStatus, String messageId) {

    private static final HexFormat HEX = HexFormat.of();

    public RecordedSubmit {
        shortMessage = copy(shortMessage);
        pdu = copy(pdu);
        udh = copy(udh);
    }

    @Override
    public byte[] shortMessage() {
        return copy(shortMessage);
    }

    @Override
    public byte[] pdu() {
        return copy(pdu);
    }

    @Override
    public byte[] udh() {
        return copy(udh);
    }

    /** True when the simulator accepted it (command_status 0). */
    public boolean accepted() {
        return commandStatus == 0;
    }

    /** The user data after the UDH (the encoded text). */
    public byte[] userData() {
        int offset = udh == null ? 0 : udh.length;
        return Arrays.copyOfRange(shortMessage, Math.min(offset, shortMessage.length), shortMessage.length);
    }

    public String shortMessageHex() {
        return HEX.formatHex(shortMessage);
    }

    public String udhHex() {
        return udh == null ? null : HEX.formatHex(udh);
    }

    public String pduHex() {
        return pdu == null ? null : HEX.formatHex(pdu);
    }

    /** Decodes what the simulator needs from a received submit_sm. */
    static RecordedSubmit of(Instant receivedAt, String systemId, SubmitSm submitSm, byte[] pdu,
                             int commandStatus, String messageId) {
        byte[] shortMessage = submitSm.getShortMessage();
        if (shortMessage == null || shortMessage.length == 0) {
            OptionalParameter payload = submitSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
            shortMessage = payload instanceof OptionalParameter.OctetString octets ? octets.getValue() : new byte[0];
        }
        int esmClass = submitSm.getEsmClass() & 0xFF;
        int dataCoding = submitSm.getDataCoding() & 0xFF;
        byte[] udh = null;
        Integer port = null;
        Integer reference = null;
        Integer total = null;
        Integer sequence = null;
        if ((esmClass & 0x40) != 0 && shortMessage.length > 0) {
            int udhLength = 1 + (shortMessage[0] & 0xFF);
            if (udhLength <= shortMessage.length) {
                udh = Arrays.copyOf(shortMessage, udhLength);
                for (int i = 1; i + 1 < udhLength; ) {
                    int iei = udh[i] & 0xFF;
                    int length = udh[i + 1] & 0xFF;
                    int data = i + 2;
                    if (data + length > udhLength) {
                        break;
                    }
                    switch (iei) {
                        case 0x00 -> {
                            if (length == 3) {
                                reference = udh[data] & 0xFF;
                                total = udh[data + 1] & 0xFF;
                                sequence = udh[data + 2] & 0xFF;
                            }
                        }
                        case 0x08 -> {
                            if (length == 4) {
                                reference = ((udh[data] & 0xFF) << 8) | (udh[data + 1] & 0xFF);
                                total = udh[data + 2] & 0xFF;
                                sequence = udh[data + 3] & 0xFF;
                            }
                        }
                        case 0x05 -> {
                            if (length == 4) {
                                port = ((udh[data] & 0xFF) << 8) | (udh[data + 1] & 0xFF);
                            }
                        }
                        case 0x04 -> {
                            if (length == 2) {
                                port = udh[data] & 0xFF;
                            }
                        }
                        default -> {
                            // other IEs (TS 23.040 §9.2.3.24) are kept in the UDH octets only
                        }
                    }
                    i = data + length;
                }
            }
        }
        int offset = udh == null ? 0 : udh.length;
        String text = decode(dataCoding, shortMessage, offset, shortMessage.length - offset);
        return new RecordedSubmit(receivedAt, systemId, submitSm.getSequenceNumber(), submitSm.getSourceAddr(),
                submitSm.getDestAddress(), esmClass, dataCoding, submitSm.getRegisteredDelivery() & 0xFF,
                shortMessage, pdu, udh, port, reference, total, sequence, text, commandStatus, messageId);
    }

    /** TS 23.038 §4: the alphabet of the general data coding groups; the SMPP-specific 0x01 and 0x03 too. */
    static String decode(int dataCoding, byte[] octets, int offset, int length) {
        if (dataCoding == 0x01) {
            return new String(octets, offset, length, StandardCharsets.US_ASCII);
        }
        if (dataCoding == 0x03) {
            return new String(octets, offset, length, StandardCharsets.ISO_8859_1);
        }
        int alphabet;
        if ((dataCoding & 0xC0) == 0x00) {
            alphabet = (dataCoding >>> 2) & 0x03;
        } else if ((dataCoding & 0xF0) == 0xF0) {
            alphabet = (dataCoding >>> 2) & 0x01;
        } else {
            return null;
        }
        return switch (alphabet) {
            case 0 -> GsmAlphabet.decode(octets, offset, length);
            case 2 -> new String(octets, offset, length, StandardCharsets.UTF_16BE);
            default -> null;
        };
    }

    private static byte[] copy(byte[] octets) {
        return octets == null ? null : octets.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedSubmit that && sequenceNumber == that.sequenceNumber
                && esmClass == that.esmClass && dataCoding == that.dataCoding
                && registeredDelivery == that.registeredDelivery && commandStatus == that.commandStatus
                && Objects.equals(receivedAt, that.receivedAt) && Objects.equals(systemId, that.systemId)
                && Objects.equals(sourceAddress, that.sourceAddress)
                && Objects.equals(destinationAddress, that.destinationAddress)
                && Arrays.equals(shortMessage, that.shortMessage) && Arrays.equals(pdu, that.pdu)
                && Arrays.equals(udh, that.udh) && Objects.equals(messageId, that.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(receivedAt, systemId, sequenceNumber, messageId, Arrays.hashCode(shortMessage));
    }

    // No text and no destination: a test failure or a log line must not print an OTP or an MSISDN.
    @Override
    public String toString() {
        return "RecordedSubmit[receivedAt=" + receivedAt + ", systemId=" + systemId + ", sequenceNumber="
                + sequenceNumber + ", esmClass=" + String.format("0x%02X", esmClass) + ", dataCoding="
                + String.format("0x%02X", dataCoding) + ", smLength=" + shortMessage.length + ", udh=" + udhHex()
                + ", commandStatus=" + String.format("0x%08X", commandStatus) + ", messageId=" + messageId + "]";
    }
}
