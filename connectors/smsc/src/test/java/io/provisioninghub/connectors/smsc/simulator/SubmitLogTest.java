package io.provisioninghub.connectors.smsc.simulator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding-window maximum, kept as submits arrive, against a brute-force count over the same times. */
class SubmitLogTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void slidingWindowMaximumMatchesBruteForce() {
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            SubmitLog log = new SubmitLog();
            long[] times = new long[2_000];
            long t = 0;
            for (int i = 0; i < times.length; i++) {
                // bursts and gaps: from 0 to 5 ms apart, sometimes a 1.5 s pause
                t += random.nextInt(10) == 0 ? 1_500_000_000L : random.nextInt(5_000_000);
                times[i] = t;
                log.countAccepted(System.currentTimeMillis(), t);
            }

            assertThat(log.maxInAnySlidingSecond()).isEqualTo(bruteForce(times));
            assertThat(log.acceptedNanoTimes()).containsExactly(times);
            assertThat(log.accepted()).isEqualTo(times.length);
        }
    }

    @Test
    void aWindowIsHalfOpen() {
        SubmitLog log = new SubmitLog();
        // 0 and exactly 1 s later are not in one window; 0.999999999 s later is
        log.countAccepted(System.currentTimeMillis(), 0);
        log.countAccepted(System.currentTimeMillis(), SECOND);
        assertThat(log.maxInAnySlidingSecond()).isEqualTo(1);
        log.countAccepted(System.currentTimeMillis(), 2 * SECOND - 1);
        assertThat(log.maxInAnySlidingSecond()).isEqualTo(2);
    }

    @Test
    void clearStartsAgain() {
        SubmitLog log = new SubmitLog();
        log.countAccepted(System.currentTimeMillis(), 5);
        log.clear();

        assertThat(log.maxInAnySlidingSecond()).isZero();
        assertThat(log.acceptedNanoTimes()).isEmpty();
        assertThat(Arrays.stream(log.submitsPerSecond()).sum()).isZero();
    }

    private static int bruteForce(long[] times) {
        int max = 0;
        for (int i = 0; i < times.length; i++) {
            int count = 0;
            for (int j = i; j < times.length && times[j] - times[i] < SECOND; j++) {
                count++;
            }
            max = Math.max(max, count);
        }
        return max;
    }
}
