package io.provisioninghub.routes.otp;

import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/** OTP-7 against the running hub: SMS floods stop at the limit, and brute-forcing OTPs never succeeds. */
class OtpAbuseTest extends SharedHubTest {

    @Test // OTP-7: an SMS flood for one MSISDN stops at the limit (1 a minute): 503 + Retry-After, and no SMS
    void smsFloodForOneMsisdnStopsAtTheLimit() throws InterruptedException {
        Subscribers victim = Subscribers.generated(20_301);
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = device.secureRequest(table9(null, victim.msisdn(), "", null), null, Map.of());
            statuses.add(response.statusCode());
            if (response.statusCode() == 503) {
                refused = response;
            }
        }

        // One a minute: a run that straddles the turn of a minute may get a second one.
        long granted = statuses.stream().filter(s -> s == 200).count();
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(granted).isBetween(1L, 2L);
        assertThat(statuses).containsOnly(200, 503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isBetween(1, 61));
        assertThat(cookieOf(refused)).isEmpty();
        hub.smsc().awaitSubmit(victim.msisdn(), (int) granted, Duration.ofSeconds(20));
        Thread.sleep(1000); // anything wrongly queued would have reached the SMSC by now
        assertThat(hub.smsc().to(victim.msisdn())).hasSize((int) granted);
    }

    @Test // OTP-7: 1,000 guesses over as many cookies as the attacker can get never succeed; after five the OTP is dead
    void bruteForcedOtpNeverSucceeds() {
        Subscribers victim = Subscribers.generated(20_302);
        // The attacker asks for as many challenges as it can: the per-MSISDN limit grants one this minute.
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cookieOf(device.secureRequest(table9(null, victim.msisdn(), "", null), null, Map.of())).ifPresent(cookies::add);
        }
        assertThat(cookies).hasSizeBetween(1, 2); // two only when the requests straddled the turn of a minute
        Set<String> realOtps = new HashSet<>();
        hub.smsc().awaitSubmit(victim.msisdn(), cookies.size(), Duration.ofSeconds(20));
        hub.smsc().to(victim.msisdn()).forEach(sms -> realOtps.add(sms.text()));

        // 1,000 guesses, spread over the real cookie and forged ones. The attacker does not know the OTP: the
        // guesses skip it, so that the test shows the limit at work rather than luck.
        int accepted = 0;
        int guess = 0;
        for (int i = 0; i < 1000; i++) {
            String candidate;
            do {
                candidate = String.format("%06d", guess++);
            } while (realOtps.contains(candidate));
            String cookie = i % 2 == 0 ? cookies.get(i / 2 % cookies.size()) : "rcc14-session=" + forgedCookie(i);
            if (device.secureRequest("OTP=" + candidate, cookie, Map.of()).statusCode() != 511) {
                accepted++;
            }
        }
        assertThat(accepted).isZero();

        // Five tries used the challenge up: the right OTP is refused now.
        for (String cookie : cookies) {
            for (String otp : realOtps) {
                assertThat(device.secureRequest("OTP=" + otp, cookie, Map.of()).statusCode()).isEqualTo(511);
            }
        }
        Integer attempts = hub.hubDatabase().queryForObject(
                "SELECT min(attempts) FROM otp_challenge WHERE msisdn = ?", Integer.class, victim.msisdn());
        assertThat(attempts).isEqualTo(5);
    }

    private static String forgedCookie(int i) {
        String base = String.format("%043d", i);
        return base.substring(0, 43);
    }
}
