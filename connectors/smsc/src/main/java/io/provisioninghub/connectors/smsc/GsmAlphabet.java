package io.provisioninghub.connectors.smsc;

/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1 and §6.2.1.1), in the
 * <em>unpacked</em> form SMPP uses for data_coding 0x00: one septet per octet, high bit clear. An extension
 * character is the escape septet 0x1B followed by its code in the extension table, so it counts two septets.
 * <p>
 * Only the characters of the default table and of the default extension table are encodable; national
 * language shift tables (TS 23.038 §6.2.1.2) are not used, so a text with, say, Turkish 'ş' goes as UCS2.
 */
public final class GsmAlphabet {

    /** The escape to the extension table (TS 23.038 §6.2.1.1). */
    public static final byte ESCAPE = 0x1B;

    /**
     * The default table, code 0x00 to 0x7F. Position 0x1B is the escape: it stands for no character, and
     * the ESC placeholder here is never looked up as one.
     */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** The default extension table: character, then its code after the escape. */
    private static final char[][] EXTENSION = {
            {'\f', 0x0A}, {'^', 0x14}, {'{', 0x28}, {'}', 0x29}, {'\\', 0x2F},
            {'[', 0x3C}, {'~', 0x3D}, {']', 0x3E}, {'|', 0x40}, {'€', 0x65},
    };

    /** Highest character either table holds (€, U+20AC): the lookup array covers 0..LIMIT. */
    private static final int LIMIT = 0x20AC;
    /** Per character: its code (0..0x7F), 0x100 | extension code, or -1 when neither table has it. */
    private static final short[] CODE_OF = new short[LIMIT + 1];
    /** Per extension code (0..0x7F): its character, or 0 when the extension table has none there. */
    private static final char[] EXTENSION_CHAR = new char[128];

    static {
        if (BASIC.length() != 128) {
            throw new ExceptionInInitializerError("GSM default table must have 128 entries, has " + BASIC.length());
        }
        java.util.Arrays.fill(CODE_OF, (short) -1);
        for (int code = 0; code < 128; code++) {
            if (code != ESCAPE) {
                CODE_OF[BASIC.charAt(code)] = (short) code;
            }
        }
        for (char[] entry : EXTENSION) {
            CODE_OF[entry[0]] = (short) (0x100 | entry[1]);
            EXTENSION_CHAR[entry[1]] = entry[0];
        }
    }

    private GsmAlphabet() {
    }

    /** True when every character of {@code text} is in the default table or the default extension table. */
    public static boolean canEncode(CharSequence text) {
        return septets(text) >= 0;
    }

    /** Septets {@code text} takes (an extension character counts two), or -1 when it cannot be encoded. */
    public static int septets(CharSequence text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            int code = codeOf(text.charAt(i));
            if (code < 0) {
                return -1;
            }
            septets += code > 0xFF ? 2 : 1;
        }
        return septets;
    }

    /**
     * {@code text} as unpacked septets, one per octet, an extension character as {@code 1B <code>}.
     *
     * @throws IllegalArgumentException when a character has no GSM code (check with {@link #canEncode} first)
     */
    public static byte[] encode(CharSequence text) {
        int length = septets(text);
        if (length < 0) {
            throw new IllegalArgumentException("text has characters outside the GSM 7-bit default alphabet");
        }
        byte[] septets = new byte[length];
        int at = 0;
        for (int i = 0; i < text.length(); i++) {
            int code = codeOf(text.charAt(i));
            if (code > 0xFF) {
                septets[at++] = ESCAPE;
                septets[at++] = (byte) (code & 0x7F);
            } else {
                septets[at++] = (byte) code;
            }
        }
        return septets;
    }

    /**
     * Decodes unpacked septets. An escape followed by a code the extension table does not define shows the
     * default table's character for that code (TS 23.038 §6.2.1.1); a trailing lone escape is dropped.
     */
    public static String decode(byte[] octets, int offset, int length) {
        StringBuilder text = new StringBuilder(length);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int code = octets[i] & 0x7F;
            if (code == ESCAPE) {
                if (i + 1 >= end) {
                    break;
                }
                int extension = octets[++i] & 0x7F;
                char c = EXTENSION_CHAR[extension];
                text.append(c != 0 ? c : BASIC.charAt(extension == ESCAPE ? 0x20 : extension));
            } else {
                text.append(BASIC.charAt(code));
            }
        }
        return text.toString();
    }

    private static int codeOf(char c) {
        return c <= LIMIT ? CODE_OF[c] : -1;
    }
}
