package io.provisioninghub.routes.otp;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator choices on a hub of their own: the "SMS port zero" policy (RCC.14 §2.3.3, §2.3.5, Table 11) and the
 * per-client-address SMS limit (OTP-7).
 */
class SmsPolicyTest {

    static HubInstance hub;
    static DeviceClient device;

    @BeforeAll
    static void startHub() {
        hub = HubInstance.start(Map.of(
                "hub.otp.sms-port-zero-policy", "true",
                "hub.otp.zero-policy-sms-delay", "1500ms",
                "hub.otp.limits.per-client-per-day", "4"));
        device = hub.device();
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    @Test // OTP-2, OTP-3, §2.3.3 step 2 + NOTE, Table 11: POLICY SMS_port=0 in the 200, then a plain SMS, after a delay
    void zeroPolicyAnnouncesAndSendsAPlainSms() {
        Subscribers user = Subscribers.generated(20_401);
        Instant asked = Instant.now();

        HttpResponse<String> response = device.secureRequest(table9(null, user.msisdn(), "", 37273), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        ProvisioningDocument policy = ProvisioningDocument.parse(response.body());
        assertThat(policy.topLevelTypes()).containsExactly("POLICY");
        assertThat(policy.parm("POLICY", "SMS_port")).contains("0");
        RecordedSubmit sms = hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(20));
        assertThat(Duration.between(asked, sms.receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(sms.udh()).isNull();
        assertThat(sms.esmClass() & 0x40).isZero();
        String otp = SmscInbox.otpIn(sms.text());
        assertThat(device.secureRequest("OTP=" + otp, cookieOf(response).orElseThrow(), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test // OTP-7: one client address asking OTPs for many numbers stops at its own limit (4 a day here)
    void oneClientAddressStopsAtItsLimit() {
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            int status = device.secureRequest(table9(null, Subscribers.generated(20_410 + i).msisdn(), "", 0), null, Map.of())
                    .statusCode();
            if (status == 200) {
                ok++;
            } else if (status == 503) {
                refused++;
            }
        }
        // The other test of this class may have used one of the four today.
        assertThat(ok).isBetween(3, 4);
        assertThat(ok + refused).isEqualTo(6);
    }
}
