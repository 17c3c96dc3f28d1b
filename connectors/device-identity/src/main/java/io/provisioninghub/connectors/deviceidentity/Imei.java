package io.provisioninghub.connectors.deviceidentity;

/**
 * IMEI check digit (3GPP TS 23.003 §6.2.1 and Annex B: the Luhn formula over the 14 digits TAC + SNR). A
 * dependency for ten lines of arithmetic would cost more than it saves.
 */
public final class Imei {

    private Imei() {
    }

    /** True for 15 ASCII digits whose last is the Luhn check digit of the first 14. */
    public static boolean isValid(String imei) {
        return imei != null && imei.length() == 15 && allDigits(imei)
                && checkDigit(imei.substring(0, 14)) == imei.charAt(14) - '0';
    }

    /** The 15-digit IMEI for 14 digits (TAC + serial number), with its check digit appended. */
    public static String withCheckDigit(String tacAndSerial) {
        if (tacAndSerial == null || tacAndSerial.length() != 14 || !allDigits(tacAndSerial)) {
            throw new IllegalArgumentException("an IMEI without its check digit has 14 digits");
        }
        return tacAndSerial + checkDigit(tacAndSerial);
    }

    // Luhn: double every second digit from the right of the payload (i.e. positions 2, 4, ... 14 counted from
    // the left), add the digits of the products, and take what makes the sum a multiple of ten.
    private static int checkDigit(String fourteen) {
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int digit = fourteen.charAt(i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return (10 - sum % 10) % 10;
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
