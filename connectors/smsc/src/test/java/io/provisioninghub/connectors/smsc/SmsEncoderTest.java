package io.provisioninghub.connectors.smsc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link SmsEncoder}, octet by octet (RCC.14 §2.3.3, §3; 3GPP TS 23.040 §9.2.3.24; TS 23.038 §6.2.1). */
class SmsEncoderTest {

    private static final HexFormat HEX = HexFormat.of();

    /** References start at 0x41 so a test can name them. */
    private final SmsEncoder encoder = new SmsEncoder(SmsEncoder.DEFAULT_MAX_SEGMENTS, 0x41);

    // --- port-addressed (RCC.14 §2.3.3 step 1, §3) --------------------------------------------------------

    @Test
    void portAddressedOtpTo37273() {
        List<SmsSegment> segments = encoder.encode(new SmsContent.PortAddressed(37273, "12345678"));

        assertThat(segments).hasSize(1);
        SmsSegment segment = segments.get(0);
        assertThat(segment.esmClass()).isEqualTo(0x40);
        assertThat(segment.dataCoding()).isEqualTo((byte) 0x08);
        assertThat(HEX.formatHex(segment.shortMessage())).isEqualTo(
                "06" + "05" + "04" + "9199" + "0000"              // UDHL, IEI 16-bit ports, IEDL, dst 37273, src 0
                        + "00310032003300340035003600370038");    // "12345678" UTF-16BE
    }

    @ParameterizedTest
    @CsvSource({"1, 0001", "2948, 0b84", "37273, 9199", "65535, ffff"})
    void portIsTheDestinationPortBigEndian(int port, String hex) {
        byte[] octets = encoder.encode(new SmsContent.PortAddressed(port, "")).get(0).shortMessage();

        assertThat(HEX.formatHex(octets)).isEqualTo("060504" + hex + "0000");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void portOutsideTheRangeIsACallerError(int port) {
        assertThatThrownBy(() -> encoder.encode(new SmsContent.PortAddressed(port, "1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void portAddressedTextIsUtf16BigEndianEvenForGsmCharactersAndSurrogatePairs() {
        String text = "Code: 42 ✓ 😀";

        byte[] octets = encoder.encode(new SmsContent.PortAddressed(37273, text)).get(0).shortMessage();

        assertThat(octets).hasSize(7 + 2 * text.length());
        assertThat(java.util.Arrays.copyOfRange(octets, 7, octets.length))
                .isEqualTo(text.getBytes(StandardCharsets.UTF_16BE));
        // 😀 U+1F600 = D83D DE00
        assertThat(HEX.formatHex(octets)).endsWith("2713" + "0020" + "d83dde00");
    }

    @Test
    void portAddressedTextOf66UnitsIsTheLongestThatFits() {
        byte[] octets = encoder.encode(new SmsContent.PortAddressed(37273, "x".repeat(66))).get(0).shortMessage();

        // 7 octets of UDH + 132 of text; one more unit would be 141 > 140
        assertThat(octets).hasSize(139);
    }

    @Test
    void portAddressedTextOver140OctetsIsRefusedNotConcatenated() {
        String secret = "7".repeat(67);

        SmscRejectedException refused = catchThrowableOfType(
                () -> encoder.encode(new SmsContent.PortAddressed(37273, secret)), SmscRejectedException.class);

        assertThat(refused.commandStatus()).isEqualTo(-1);
        assertThat(refused.transientFailure()).isFalse();
        assertThat(refused.getMessage()).contains("67 UTF-16 code units", "at most 66").doesNotContain(secret);
    }

    // --- plain, GSM 7-bit (TS 23.038 §6.2.1) ------------------------------------------------------------

    @Test
    void gsmTextIsOneUnpackedSeptetPerOctet() {
        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain("Hi @£$ Ä_ü à"));

        assertThat(segments).hasSize(1);
        SmsSegment segment = segments.get(0);
        assertThat(segment.esmClass()).isEqualTo(0x00);
        assertThat(segment.dataCoding()).isEqualTo((byte) 0x00);
        // H 48, i 69, space 20, @ 00, £ 01, $ 02, space 20, Ä 5B, _ 11, ü 7E, space 20, à 7F
        assertThat(HEX.formatHex(segment.shortMessage())).isEqualTo("486920000102205b117e207f");
    }

    @Test
    void extensionCharactersAreEscapedAndCountTwoSeptets() {
        String text = "€{}[]~\\|^\f";

        byte[] octets = encoder.encode(new SmsContent.Plain(text)).get(0).shortMessage();

        assertThat(GsmAlphabet.septets(text)).isEqualTo(20);
        assertThat(HEX.formatHex(octets)).isEqualTo("1b65" + "1b28" + "1b29" + "1b3c" + "1b3e" + "1b3d" + "1b2f"
                + "1b40" + "1b14" + "1b0a");
    }

    @Test
    void gsmTextOf160SeptetsIsOneSegment() {
        assertThat(encoder.encode(new SmsContent.Plain("a".repeat(160)))).singleElement()
                .satisfies(segment -> assertThat(segment.length()).isEqualTo(160))
                .satisfies(segment -> assertThat(segment.hasUdh()).isFalse());
        // 80 euro signs are 160 septets too
        assertThat(encoder.encode(new SmsContent.Plain("€".repeat(80)))).hasSize(1);
    }

    @Test
    void gsmTextOf161SeptetsIsTwoConcatenatedSegmentsOf153AndTheRest() {
        String text = "0123456789".repeat(16) + "X";

        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain(text));

        assertThat(segments).hasSize(2);
        assertThat(segments).allSatisfy(segment -> {
            assertThat(segment.esmClass()).isEqualTo(0x40);
            assertThat(segment.dataCoding()).isEqualTo((byte) 0x00);
        });
        byte[] first = segments.get(0).shortMessage();
        byte[] second = segments.get(1).shortMessage();
        assertThat(HEX.formatHex(first, 0, 6)).isEqualTo("050003" + "41" + "02" + "01");
        assertThat(HEX.formatHex(second, 0, 6)).isEqualTo("050003" + "41" + "02" + "02");
        assertThat(first).hasSize(6 + 153);
        assertThat(second).hasSize(6 + 8);
        assertThat(GsmAlphabet.decode(first, 6, 153) + GsmAlphabet.decode(second, 6, 8)).isEqualTo(text);
    }

    @Test
    void anEscapePairIsNeverSplitAcrossSegments() {
        // 152 septets, then '€' (1B 65) would straddle the 153-septet boundary
        String text = "a".repeat(152) + "€" + "b".repeat(20);

        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain(text));

        byte[] first = segments.get(0).shortMessage();
        byte[] second = segments.get(1).shortMessage();
        assertThat(first).hasSize(6 + 152);
        assertThat(HEX.formatHex(second, 6, 8)).isEqualTo("1b65");
        assertThat(GsmAlphabet.decode(first, 6, first.length - 6) + GsmAlphabet.decode(second, 6, second.length - 6))
                .isEqualTo(text);
    }

    @Test
    void segmentsAreLimitedToMaxSegments() {
        assertThat(encoder.encode(new SmsContent.Plain("a".repeat(6 * 153)))).hasSize(6);

        SmscRejectedException refused = catchThrowableOfType(
                () -> encoder.encode(new SmsContent.Plain("a".repeat(6 * 153 + 1))), SmscRejectedException.class);
        assertThat(refused.getMessage()).isEqualTo("SMS text needs 7 segments, more than the 6 allowed");

        SmsEncoder two = new SmsEncoder(2);
        assertThat(two.encode(new SmsContent.Plain("a".repeat(306)))).hasSize(2);
        assertThatThrownBy(() -> two.encode(new SmsContent.Plain("a".repeat(307))))
                .isInstanceOf(SmscRejectedException.class);
        assertThatThrownBy(() -> two.encode(new SmsContent.Plain("ж".repeat(135))))
                .isInstanceOf(SmscRejectedException.class);
    }

    @Test
    void eachConcatenatedSmsTakesTheNextReferenceModulo256() {
        SmsEncoder wrapping = new SmsEncoder(6, 0xFF);
        String longText = "a".repeat(200);

        int first = wrapping.encode(new SmsContent.Plain(longText)).get(0).shortMessage()[3] & 0xFF;
        wrapping.encode(new SmsContent.Plain("short")); // a single segment takes no reference
        int second = wrapping.encode(new SmsContent.Plain(longText)).get(0).shortMessage()[3] & 0xFF;

        assertThat(first).isEqualTo(0xFF);
        assertThat(second).isEqualTo(0x00);
    }

    // --- plain, UCS2 ------------------------------------------------------------------------------------

    @Test
    void textWithACharacterOutsideGsmIsUcs2() {
        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain("Kod: ş"));

        SmsSegment segment = segments.get(0);
        assertThat(segment.esmClass()).isEqualTo(0x00);
        assertThat(segment.dataCoding()).isEqualTo((byte) 0x08);
        assertThat(HEX.formatHex(segment.shortMessage())).isEqualTo("004b006f0064003a0020015f");
    }

    @Test
    void ucs2TextOf70UnitsIsOneSegmentAnd71AreTwoOf67AndTheRest() {
        assertThat(encoder.encode(new SmsContent.Plain("ж".repeat(70)))).singleElement()
                .satisfies(segment -> assertThat(segment.length()).isEqualTo(140));

        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain("ж".repeat(71)));

        assertThat(segments).hasSize(2);
        byte[] first = segments.get(0).shortMessage();
        byte[] second = segments.get(1).shortMessage();
        assertThat(HEX.formatHex(first, 0, 6)).isEqualTo("050003410201");
        assertThat(HEX.formatHex(second, 0, 6)).isEqualTo("050003410202");
        assertThat(first).hasSize(6 + 2 * 67);
        assertThat(second).hasSize(6 + 2 * 4);
        assertThat(segments).allSatisfy(segment -> assertThat(segment.esmClass()).isEqualTo(0x40));
        assertThat(HEX.formatHex(second, 6, second.length)).isEqualTo("0436".repeat(4));
    }

    @Test
    void aSurrogatePairIsNeverSplitAcrossSegments() {
        // 66 units, then U+1F600 (D83D DE00) would straddle the 67-unit boundary
        String text = "ж".repeat(66) + "😀" + "ж".repeat(10);

        List<SmsSegment> segments = encoder.encode(new SmsContent.Plain(text));

        byte[] first = segments.get(0).shortMessage();
        byte[] second = segments.get(1).shortMessage();
        assertThat(first).hasSize(6 + 2 * 66);
        assertThat(HEX.formatHex(second, 6, 10)).isEqualTo("d83dde00");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(first, 6, first.length - 6);
        joined.write(second, 6, second.length - 6);
        assertThat(joined.toString(StandardCharsets.UTF_16BE)).isEqualTo(text);
    }

    // --- the alphabet itself ----------------------------------------------------------------------------

    @Test
    void everyCharacterOfBothTablesRoundTrips() {
        StringBuilder all = new StringBuilder();
        for (int code = 0; code < 128; code++) {
            if (code != 0x1B) {
                all.append(GsmAlphabet.decode(new byte[] {(byte) code}, 0, 1));
            }
        }
        all.append("\f^{}\\[~]|€");

        byte[] septets = GsmAlphabet.encode(all);

        assertThat(septets).hasSize(127 + 2 * 10);
        assertThat(GsmAlphabet.decode(septets, 0, septets.length)).isEqualTo(all.toString());
        assertThat(GsmAlphabet.canEncode("ΔΦΓΛΩΠΨΣΘΞ¡¿§¤")).isTrue();
        assertThat(GsmAlphabet.canEncode("`")).isFalse();
        assertThat(GsmAlphabet.septets("ç")).isEqualTo(-1); // only capital Ç is in the table
    }

    @Test
    void segmentsNeverPrintTheirContent() {
        SmsSegment segment = encoder.encode(new SmsContent.PortAddressed(37273, "12345678")).get(0);

        assertThat(segment.toString()).isEqualTo("SmsSegment[esmClass=0x40, dataCoding=0x08, length=23]");
    }
}
