package io.provisioninghub.connectors.smsc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns {@link SmsContent} into the octets of one or more submit_sm (pure Java, no I/O, thread-safe).
 *
 * <h2>Port-addressed SMS (GSMA RCC.14 §2.3.3 step 1 and §3)</h2>
 * data_coding 0x08 (UCS2), esm_class 0x40 (UDHI), short_message = a user data header with one
 * "application port addressing scheme, 16 bit address" information element (3GPP TS 23.040
 * §9.2.3.24.4) and then the text in UTF-16BE:
 * <pre>
 * 06           UDHL: 6 octets of header follow
 * 05 04        IEI 0x05 (16-bit application ports), IEDL 4
 * 91 99        destination port, big-endian (37273 = 0x9199)
 * 00 00        originator port 0
 * 00 31 00 32  ... the text, UTF-16BE
 * </pre>
 * Such an SMS is never concatenated (a client listening on a port expects one PDU), so UDH + text must fit
 * 140 octets: at most 66 UTF-16 code units of text. A longer text is refused with
 * {@link SmscRejectedException}.
 *
 * <h2>Plain SMS (RCC.14 §2.3.3 step 2)</h2>
 * <ul>
 *   <li>When every character is in the GSM 7-bit default alphabet or its extension table
 *       ({@link GsmAlphabet}): data_coding 0x00, the text as <b>unpacked</b> septets, one per octet (an
 *       extension character is {@code 1B xx}, two septets). That is the usual SMPP convention for the "SMSC
 *       default alphabet": the SMSC packs the septets for the air interface (TS 23.038 §6.1.2.1); an SMSC
 *       that expects Latin-1 for data_coding 0 would need a different encoder. One segment holds 160
 *       septets; a longer text is concatenated (TS 23.040 §9.2.3.24.1) with at most 153 septets per segment,
 *       and an escape pair is never split across segments.</li>
 *   <li>Otherwise UCS2, data_coding 0x08, UTF-16BE: one segment holds 70 UTF-16 code units, a concatenated
 *       segment 67, and a surrogate pair is never split.</li>
 *   <li>A concatenated segment has esm_class 0x40 and starts with the UDH
 *       {@code 05 00 03 <reference> <total> <sequence>} (IEI 0x00, 8-bit reference). The reference comes
 *       from a counter that starts at a random value, so two long SMS to the same phone in a row do not
 *       share one.</li>
 *   <li>More than {@code maxSegments} segments: refused ({@link SmscRejectedException}).</li>
 * </ul>
 */
public final class SmsEncoder {

    public static final byte DATA_CODING_GSM7 = 0x00;
    public static final byte DATA_CODING_UCS2 = 0x08;
    public static final int ESM_CLASS_DEFAULT = 0x00;
    /** esm_class bit 6: the short message starts with a user data header (SMPP 3.4 §5.2.12). */
    public static final int ESM_CLASS_UDHI = 0x40;
    /** Octets of user data in one SMS (TS 23.040 §9.2.3.16, §9.2.3.24). */
    public static final int MAX_USER_DATA_OCTETS = 140;
    public static final int GSM7_SINGLE_SEPTETS = 160;
    public static final int GSM7_SEGMENT_SEPTETS = 153;
    public static final int UCS2_SINGLE_UNITS = 70;
    public static final int UCS2_SEGMENT_UNITS = 67;
    /** Octets of the port-addressing UDH: {@code 06 05 04 pp pp 00 00}. */
    public static final int PORT_UDH_LENGTH = 7;
    /** Octets of the concatenation UDH: {@code 05 00 03 rr tt ss}. */
    public static final int CONCAT_UDH_LENGTH = 6;
    public static final int DEFAULT_MAX_SEGMENTS = 6;

    private final int maxSegments;
    private final AtomicInteger nextReference;

    /** An encoder allowing {@value #DEFAULT_MAX_SEGMENTS} segments. */
    public SmsEncoder() {
        this(DEFAULT_MAX_SEGMENTS);
    }

    /** @param maxSegments most segments one plain SMS may take, 1..255 */
    public SmsEncoder(int maxSegments) {
        this(maxSegments, ThreadLocalRandom.current().nextInt(256));
    }

    /** For tests: the first concatenation reference is {@code firstReference} (mod 256). */
    SmsEncoder(int maxSegments, int firstReference) {
        if (maxSegments < 1 || maxSegments > 255) {
            throw new IllegalArgumentException("maxSegments must be 1..255");
        }
        this.maxSegments = maxSegments;
        this.nextReference = new AtomicInteger(firstReference);
    }

    public int maxSegments() {
        return maxSegments;
    }

    /**
     * @return the segments in sending order; one for a port-addressed SMS
     * @throws SmscRejectedException    the content does not fit (commandStatus -1); the message says why,
     *                                  never what
     * @throws IllegalArgumentException a port outside 1..65535
     */
    public List<SmsSegment> encode(SmsContent content) {
        Objects.requireNonNull(content, "content");
        if (content instanceof SmsContent.PortAddressed portAddressed) {
            return List.of(portAddressed(portAddressed.destinationPort(), portAddressed.text()));
        }
        if (content instanceof SmsContent.Plain plain) {
            return plain(plain.text());
        }
        throw new IllegalArgumentException("unknown SMS content " + content.getClass().getName());
    }

    private static SmsSegment portAddressed(int port, String text) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("destination port must be 1..65535");
        }
        Objects.requireNonNull(text, "text");
        int octets = PORT_UDH_LENGTH + 2 * text.length();
        if (octets > MAX_USER_DATA_OCTETS) {
            throw new SmscRejectedException("port-addressed SMS text of " + text.length()
                    + " UTF-16 code units does not fit one SMS (at most "
                    + (MAX_USER_DATA_OCTETS - PORT_UDH_LENGTH) / 2 + "); it is never concatenated", -1, null);
        }
        byte[] shortMessage = new byte[octets];
        shortMessage[0] = 0x06;                 // UDHL
        shortMessage[1] = 0x05;                 // IEI: application port addressing, 16-bit
        shortMessage[2] = 0x04;                 // IEDL
        shortMessage[3] = (byte) (port >>> 8);  // destination port
        shortMessage[4] = (byte) port;
        shortMessage[5] = 0x00;                 // originator port 0
        shortMessage[6] = 0x00;
        putUtf16(text, 0, text.length(), shortMessage, PORT_UDH_LENGTH);
        return new SmsSegment(ESM_CLASS_UDHI, DATA_CODING_UCS2, shortMessage);
    }

    private List<SmsSegment> plain(String text) {
        Objects.requireNonNull(text, "text");
        if (GsmAlphabet.canEncode(text)) {
            return gsm7(GsmAlphabet.encode(text));
        }
        return ucs2(text);
    }

    private List<SmsSegment> gsm7(byte[] septets) {
        if (septets.length <= GSM7_SINGLE_SEPTETS) {
            return List.of(new SmsSegment(ESM_CLASS_DEFAULT, DATA_CODING_GSM7, septets));
        }
        List<int[]> bounds = new ArrayList<>();
        for (int start = 0; start < septets.length; ) {
            int end = Math.min(start + GSM7_SEGMENT_SEPTETS, septets.length);
            // 0x1B only ever starts an escape pair (no extension code is 0x1B): keep the pair together.
            if (end < septets.length && septets[end - 1] == GsmAlphabet.ESCAPE) {
                end--;
            }
            bounds.add(new int[] {start, end});
            start = end;
        }
        requireSegments(bounds.size());
        int reference = nextReference();
        List<SmsSegment> segments = new ArrayList<>(bounds.size());
        for (int i = 0; i < bounds.size(); i++) {
            int start = bounds.get(i)[0];
            int length = bounds.get(i)[1] - start;
            byte[] shortMessage = concatHeader(CONCAT_UDH_LENGTH + length, reference, bounds.size(), i + 1);
            System.arraycopy(septets, start, shortMessage, CONCAT_UDH_LENGTH, length);
            segments.add(new SmsSegment(ESM_CLASS_UDHI, DATA_CODING_GSM7, shortMessage));
        }
        return segments;
    }

    private List<SmsSegment> ucs2(String text) {
        int units = text.length();
        if (units <= UCS2_SINGLE_UNITS) {
            byte[] shortMessage = new byte[2 * units];
            putUtf16(text, 0, units, shortMessage, 0);
            return List.of(new SmsSegment(ESM_CLASS_DEFAULT, DATA_CODING_UCS2, shortMessage));
        }
        List<int[]> bounds = new ArrayList<>();
        for (int start = 0; start < units; ) {
            int end = Math.min(start + UCS2_SEGMENT_UNITS, units);
            // A character outside the BMP is a surrogate pair: both halves go in the same segment.
            if (end < units && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            bounds.add(new int[] {start, end});
            start = end;
        }
        requireSegments(bounds.size());
        int reference = nextReference();
        List<SmsSegment> segments = new ArrayList<>(bounds.size());
        for (int i = 0; i < bounds.size(); i++) {
            int start = bounds.get(i)[0];
            int end = bounds.get(i)[1];
            byte[] shortMessage = concatHeader(CONCAT_UDH_LENGTH + 2 * (end - start), reference, bounds.size(), i + 1);
            putUtf16(text, start, end, shortMessage, CONCAT_UDH_LENGTH);
            segments.add(new SmsSegment(ESM_CLASS_UDHI, DATA_CODING_UCS2, shortMessage));
        }
        return segments;
    }

    private void requireSegments(int count) {
        if (count > maxSegments) {
            throw new SmscRejectedException("SMS text needs " + count + " segments, more than the "
                    + maxSegments + " allowed", -1, null);
        }
    }

    private int nextReference() {
        return nextReference.getAndIncrement() & 0xFF;
    }

    private static byte[] concatHeader(int octets, int reference, int total, int sequence) {
        byte[] shortMessage = new byte[octets];
        shortMessage[0] = 0x05;             // UDHL
        shortMessage[1] = 0x00;             // IEI: concatenated short messages, 8-bit reference
        shortMessage[2] = 0x03;             // IEDL
        shortMessage[3] = (byte) reference;
        shortMessage[4] = (byte) total;
        shortMessage[5] = (byte) sequence;  // 1-based
        return shortMessage;
    }

    /** UTF-16BE by hand: code units as they are (String.getBytes would replace a lone surrogate). */
    private static void putUtf16(String text, int from, int to, byte[] target, int offset) {
        int at = offset;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            target[at++] = (byte) (c >>> 8);
            target[at++] = (byte) c;
        }
    }
}
