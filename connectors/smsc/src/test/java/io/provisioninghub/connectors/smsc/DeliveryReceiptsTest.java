package io.provisioninghub.connectors.smsc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading SMPP 3.4 Appendix B receipts ({@link DeliveryReceipts}). */
class DeliveryReceiptsTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static DeliveryReceipt parse(String text, String tlv, ZoneId zone) {
        return DeliveryReceipts.parse(text.getBytes(StandardCharsets.ISO_8859_1), (byte) 0, tlv, zone, NOW);
    }

    @Test
    void readsTheAppendixBFields() {
        DeliveryReceipt receipt = parse("id:0123456789 sub:001 dlvrd:001 submit date:2507011230 "
                + "done date:2507011231 stat:DELIVRD err:000 text:Your code 1234", null, ZoneOffset.UTC);

        assertThat(receipt).isEqualTo(new DeliveryReceipt("0123456789", "DELIVRD", "000",
                Instant.parse("2025-07-01T12:31:00Z")));
    }

    @Test
    void theReceiptedMessageIdTlvWinsOverTheTextAndTheZoneApplies() {
        DeliveryReceipt receipt = parse("id:4886718345 sub:001 dlvrd:000 submit date:2507011230 "
                + "done date:250701123145 stat:UNDELIV err:021 text:", "1234abcd\0", ZoneId.of("Europe/Berlin"));

        assertThat(receipt.smscMessageId()).isEqualTo("1234abcd");
        assertThat(receipt.state()).isEqualTo("UNDELIV");
        assertThat(receipt.errorCode()).isEqualTo("021");
        assertThat(receipt.doneAt()).isEqualTo(Instant.parse("2025-07-01T10:31:45Z"));
    }

    @Test
    void theTextFieldIsNeverRead() {
        // A message text that looks like receipt fields must not change the receipt.
        DeliveryReceipt receipt = parse("id:77 sub:001 dlvrd:001 submit date:2507011230 done date:2507011231 "
                + "stat:DELIVRD err:000 text:stat:REJECTD id:99 err:999", null, ZoneOffset.UTC);

        assertThat(receipt.smscMessageId()).isEqualTo("77");
        assertThat(receipt.state()).isEqualTo("DELIVRD");
        assertThat(receipt.errorCode()).isEqualTo("000");
    }

    @Test
    void lowerCaseFieldsUcs2AndAMissingDoneDate() {
        byte[] ucs2 = "id:ab12 stat:expired err:001".getBytes(StandardCharsets.UTF_16BE);

        DeliveryReceipt receipt = DeliveryReceipts.parse(ucs2, (byte) 0x08, null, ZoneOffset.UTC, NOW);

        assertThat(receipt).isEqualTo(new DeliveryReceipt("ab12", "EXPIRED", "001", NOW));
    }

    @Test
    void withoutAnIdThereIsNoReceipt() {
        assertThat(parse("sub:001 dlvrd:001 stat:DELIVRD err:000 text:", null, ZoneOffset.UTC)).isNull();
        assertThat(parse("garbage", "", ZoneOffset.UTC)).isNull();
    }
}
