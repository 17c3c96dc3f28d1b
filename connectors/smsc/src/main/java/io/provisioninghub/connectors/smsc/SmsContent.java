package io.provisioninghub.connectors.smsc;

/**
 * What an SMS carries, and so how it is encoded (RCC.14 §2.3.3, §3; 3GPP TS 23.040).
 */
public sealed interface SmsContent {

    /**
     * An SMS for an application port (RCC.14 §2.3.3 step 1, §3): DCS 0x08 (UCS2), UDH {@code 06 05 04 <port> 00 00},
     * the text in UTF-16BE. Never more than one segment: a text that does not fit is refused.
     *
     * @param destinationPort 1–65535 (37273 = 0x9199 by default, §2.3.3)
     */
    record PortAddressed(int destinationPort, String text) implements SmsContent {
    }

    /**
     * A user-visible SMS (RCC.14 §2.3.3 step 2, §2.5.1 4a): GSM 7-bit default alphabet when every character has
     * one, else UCS2; concatenated (TS 23.040 §9.2.3.24.1) when it needs more than one segment.
     */
    record Plain(String text) implements SmsContent {
    }
}
