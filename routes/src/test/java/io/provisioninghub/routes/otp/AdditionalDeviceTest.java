package io.provisioninghub.routes.otp;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.additionalDevice;
import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RCC.14 §2.5 end to end: a tablet that shares the user's number asks over HTTPS directly (Table 12), the OTP goes
 * to the primary phone as a standard SMS, the tablet sends it back (Table 13) and gets the primary's configuration
 * and a token stored with its identity.
 */
class AdditionalDeviceTest extends SharedHubTest {

    private static final Duration SMS_WAIT = Duration.ofSeconds(20);

    @Test // OTP-5, §2.5.1, Figure 11, Tables 12 and 13: first-time configuration of an additional device
    void tabletGetsThePrimarysConfiguration() {
        Subscribers user = Subscribers.generated(20_101);

        HttpResponse<String> first = device.secureRequest(
                additionalDevice(user.msisdn(), null, "", "Tablet", "Kitchen tablet", null), null, Map.of());

        assertThat(first.statusCode()).isEqualTo(200);
        String cookie = cookieOf(first).orElseThrow();
        RecordedSubmit sms = hub.smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
        // §2.5.1 4a: a standard SMS (no UDH), to the primary device.
        assertThat(sms.esmClass() & 0x40).isZero();
        assertThat(sms.udh()).isNull();
        assertThat(sms.text()).contains("Tablet").doesNotContain("Kitchen");
        String otp = SmscInbox.otpIn(sms.text());

        HttpResponse<String> configured = device.secureRequest("OTP=" + otp, cookie, Map.of());

        assertThat(configured.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(configured.body());
        // The primary's identity (§2.5: the additional device shares it).
        assertThat(doc.parm("APPLICATION", "Private_User_Identity"))
                .contains(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org");
        String token = doc.parm("TOKEN", "token").orElseThrow();
        assertThat(token).hasSize(24);
        Map<String, Object> stored = hub.hubDatabase().queryForMap("SELECT issued_by, device_type, friendly_device_name, msisdn "
                + "FROM access_token WHERE msisdn = ? AND issued_by = 'additional'", user.msisdn());
        assertThat(stored).containsEntry("device_type", "Tablet").containsEntry("friendly_device_name", "Kitchen tablet")
                .containsEntry("msisdn", user.msisdn());

        // §2.5.3: the next check carries the token → configuration directly, no SMS.
        HttpResponse<String> again = device.secureRequest(
                additionalDevice(user.msisdn(), null, token, "Tablet", "Kitchen tablet", null), null, Map.of());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(again.body()).version()).isPositive();
        assertThat(hub.smsc().to(user.msisdn())).hasSize(1);
    }

    @Test // OTP-5, Table 12 sip_uri instead of msisdn
    void sipUriIdentifiesThePrimary() {
        Subscribers user = Subscribers.generated(20_102);

        HttpResponse<String> first = device.secureRequest(additionalDevice(null,
                "sip:" + user.msisdn() + "@ims.mnc001.mcc001.3gppnetwork.org", "", "PC", null, null), null, Map.of());

        assertThat(first.statusCode()).isEqualTo(200);
        hub.smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
    }

    @Test // §2.5.2 case 1: a primary MSISDN that is not a subscriber → 403, no SMS
    void unknownPrimaryIs403() {
        HttpResponse<String> response = device.secureRequest(
                additionalDevice("+15559999998", null, "", "Tablet", null, null), null, Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(hub.smsc().to("+15559999998")).isEmpty();
    }

    @Test // §2.5.2 case 1: a primary not authorised for the services (fixture 2, barred) → 403
    void barredPrimaryIs403() {
        HttpResponse<String> response = device.secureRequest(
                additionalDevice("+15550000002", null, "", "Tablet", null, null), null, Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test // OTP-5: device_type outside Tablet|PC|Other, or neither msisdn nor sip_uri → 403
    void malformedTable12Is403() {
        Subscribers user = Subscribers.generated(20_103);
        assertThat(device.secureRequest(additionalDevice(user.msisdn(), null, "", "Watch", null, null), null, Map.of())
                .statusCode()).isEqualTo(403);
        assertThat(device.secureRequest(additionalDevice(null, null, "", "Tablet", null, null), null, Map.of())
                .statusCode()).isEqualTo(403);
    }

    @Test // §2.5.2 case 2: a wrong OTP → 511
    void wrongOtpIs511() {
        Subscribers user = Subscribers.generated(20_104);
        String cookie = cookieOf(device.secureRequest(
                additionalDevice(user.msisdn(), null, "", "Other", null, null), null, Map.of())).orElseThrow();
        String otp = SmscInbox.otpIn(hub.smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text());
        String wrong = otp.equals("999999") ? "999998" : "999999";

        assertThat(device.secureRequest("OTP=" + wrong, cookie, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-5, Table 8 409: the friendly name already belongs to another of the user's devices → 409, no SMS
    void duplicateFriendlyNameIs409() {
        Subscribers user = Subscribers.generated(20_105);
        // The phone took the name through the cellular flow (Table 1 friendly_device_name).
        HttpResponse<String> phone = device.configure(user.msisdn(), user.imsi(),
                table1(0, user.imsi()) + "&IMEI=356938035643809&friendly_device_name=Alice%20phone");
        assertThat(phone.statusCode()).isEqualTo(200);

        HttpResponse<String> tablet = device.secureRequest(
                additionalDevice(user.msisdn(), null, "", "Tablet", "Alice phone", null), null, Map.of());

        assertThat(tablet.statusCode()).isEqualTo(409);
        assertThat(hub.smsc().to(user.msisdn())).isEmpty();
    }

    @Test // §2.5.4 case 3: a subsequent attempt while the server cannot reach billing → 503 (5XX) with Retry-After
    void subsequentAttemptWithBackEndDownIs503() {
        Subscribers user = Subscribers.generated(20_108);
        String cookie = cookieOf(device.secureRequest(
                additionalDevice(user.msisdn(), null, "", "PC", null, null), null, Map.of())).orElseThrow();
        String otp = SmscInbox.otpIn(hub.smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text());
        String token = ProvisioningDocument.parse(device.secureRequest("OTP=" + otp, cookie, Map.of()).body())
                .parm("TOKEN", "token").orElseThrow();
        var faults = hub.sandbox().billing().orElseThrow().faults();
        faults.failNext(3, 500);
        try {
            HttpResponse<String> response = device.secureRequest(
                    additionalDevice(user.msisdn(), null, token, "PC", null, null), null, Map.of());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            faults.failNext(0, 500);
        }
        // Retried once billing is back: the same token still works.
        assertThat(device.secureRequest(additionalDevice(user.msisdn(), null, token, "PC", null, null), null, Map.of())
                .statusCode()).isEqualTo(200);
    }

    @Test // §2.5.4 case 2: a token that is no longer valid → 511
    void invalidTokenIs511() {
        Subscribers user = Subscribers.generated(20_106);
        assertThat(device.secureRequest(additionalDevice(user.msisdn(), null, "BBBBBBBBBBBBBBBBBBBBBBBB", "Tablet", null, null),
                null, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // §2.5.4 case 1: the MSISDN is not valid → 403 (even with a token)
    void unknownMsisdnWithTokenIs403() {
        assertThat(device.secureRequest(additionalDevice("+15559999997", null, "BBBBBBBBBBBBBBBBBBBBBBBB", "Tablet", null, null),
                null, Map.of()).statusCode()).isEqualTo(403);
    }

    @Test // §2.5.2 case 3 / §2.5.4 case 3: the server cannot reach billing → 503 with Retry-After (5XX), no SMS
    void backEndDownIs503() {
        Subscribers user = Subscribers.generated(20_107);
        var faults = hub.sandbox().billing().orElseThrow().faults();
        faults.failNext(3, 500); // the connector's three attempts (hub.billing.retries = 2)
        try {
            HttpResponse<String> response = device.secureRequest(
                    additionalDevice(user.msisdn(), null, "", "Tablet", null, null), null, Map.of());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            faults.failNext(0, 500);
        }
        assertThat(hub.smsc().to(user.msisdn())).isEmpty();
    }
}
