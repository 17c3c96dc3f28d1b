package io.provisioninghub.connectors.smsc.simulator;

import java.time.Duration;

/**
 * How to run an {@link SmscSimulator}.
 *
 * @param smppPort     SMPP TCP port on loopback; 0 takes any free port ({@link SmscSimulator#smppPort()} tells
 *                     which, and {@link SmscSimulator#up()} reuses it)
 * @param httpPort     port of the sandbox HTTP API on loopback; 0 takes any free port, -1 runs none
 * @param systemId     the system_id a bind must carry; null accepts any
 * @param password     the password a bind must carry (when {@code systemId} is set); kept out of
 *                     {@link #toString()}
 * @param logMessages  log one INFO line per submit_sm with its destination and decoded text, so a person trying
 *                     the sandbox can read the OTP; off in tests (and anywhere the log is kept)
 * @param receiptDelay how long after the submit_sm_resp the delivery receipt follows; null means
 *                     {@link #DEFAULT_RECEIPT_DELAY}
 */
public record SmscSimulatorSettings(int smppPort, int httpPort, String systemId, String password,
                                    boolean logMessages, Duration receiptDelay) {

    public static final Duration DEFAULT_RECEIPT_DELAY = Duration.ofMillis(100);

    public SmscSimulatorSettings {
        if (smppPort < 0 || smppPort > 65_535) {
            throw new IllegalArgumentException("smppPort must be 0..65535");
        }
        if (httpPort < -1 || httpPort > 65_535) {
            throw new IllegalArgumentException("httpPort must be -1 (none) or 0..65535");
        }
        receiptDelay = receiptDelay == null ? DEFAULT_RECEIPT_DELAY : receiptDelay;
        if (receiptDelay.isNegative()) {
            throw new IllegalArgumentException("receiptDelay must not be negative");
        }
        password = password == null ? "" : password;
    }

    /** Any free SMPP and HTTP ports, these credentials, no message logging, receipts after 100 ms. */
    public static SmscSimulatorSettings of(String systemId, String password) {
        return new SmscSimulatorSettings(0, 0, systemId, password, false, DEFAULT_RECEIPT_DELAY);
    }

    // Records print every component; this one must never print the password.
    @Override
    public String toString() {
        return "SmscSimulatorSettings[smppPort=" + smppPort + ", httpPort=" + httpPort + ", systemId=" + systemId
                + ", password=" + (password.isEmpty() ? "(none)" : "******") + ", logMessages=" + logMessages
                + ", receiptDelay=" + receiptDelay + "]";
    }
}
