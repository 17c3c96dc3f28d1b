package io.provisioninghub.connectors.smsc;

import java.util.Arrays;

/**
 * What one submit_sm carries: its esm_class, its data_coding and its short_message octets (SMPP 3.4
 * §4.4.1), the user data header included when {@code esmClass} has the UDHI bit (0x40).
 * <p>
 * The octets are copied in and out, so a segment cannot change after it was built.
 *
 * @param esmClass     SMPP esm_class: 0x00, or 0x40 (UDHI) when the short message starts with a UDH
 * @param dataCoding   SMPP data_coding: 0x00 (GSM 7-bit default alphabet, unpacked) or 0x08 (UCS2)
 * @param shortMessage the short_message octets, at most 140 for UCS2 and 160 for unpacked GSM 7-bit
 */
public record SmsSegment(int esmClass, byte dataCoding, byte[] shortMessage) {

    public SmsSegment {
        shortMessage = shortMessage.clone();
    }

    @Override
    public byte[] shortMessage() {
        return shortMessage.clone();
    }

    /** The short message's length in octets (sm_length), without a copy. */
    public int length() {
        return shortMessage.length;
    }

    /** True when the short message starts with a user data header (esm_class UDHI, TS 23.040 §9.2.3.23). */
    public boolean hasUdh() {
        return (esmClass & SmsEncoder.ESM_CLASS_UDHI) != 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SmsSegment that && esmClass == that.esmClass && dataCoding == that.dataCoding
                && Arrays.equals(shortMessage, that.shortMessage);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * esmClass + dataCoding) + Arrays.hashCode(shortMessage);
    }

    // The octets are the SMS text (an OTP, perhaps): never in a log line or an assertion message.
    @Override
    public String toString() {
        return String.format("SmsSegment[esmClass=0x%02X, dataCoding=0x%02X, length=%d]",
                esmClass, dataCoding & 0xFF, shortMessage.length);
    }
}
