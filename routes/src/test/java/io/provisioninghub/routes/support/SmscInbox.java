package io.provisioninghub.routes.support;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the sandbox's SMSC simulator received: the tests read OTPs here, as octets, like a phone would. */
public final class SmscInbox {

    private static final Pattern DIGITS = Pattern.compile("\\b([0-9]{6,8})\\b");

    private final SmscSimulator simulator;

    SmscInbox(SmscSimulator simulator) {
        this.simulator = simulator;
    }

    public SmscSimulator simulator() {
        return simulator;
    }

    /** Every accepted submit_sm to {@code msisdn} (with or without '+'), in arrival order. */
    public List<RecordedSubmit> to(String msisdn) {
        String digits = msisdn.startsWith("+") ? msisdn.substring(1) : msisdn;
        return simulator.submits().stream()
                .filter(s -> s.commandStatus() == 0)
                .filter(s -> s.destinationAddress().equals(digits) || s.destinationAddress().equals("+" + digits))
                .toList();
    }

    /** Waits for the {@code n}-th accepted submit_sm to {@code msisdn} (1-based). */
    public RecordedSubmit awaitSubmit(String msisdn, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<RecordedSubmit> received = to(msisdn);
            if (received.size() >= n) {
                return received.get(n - 1);
            }
            sleep(50);
        }
        throw new AssertionError("no SMS #" + n + " to " + msisdn + " within " + timeout + "; got " + to(msisdn).size());
    }

    /** The OTP in a user-visible SMS text (the only run of 6–8 digits in the operator's templates). */
    public static String otpIn(String text) {
        Matcher matcher = DIGITS.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no OTP in the SMS text");
        }
        return matcher.group(1);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
