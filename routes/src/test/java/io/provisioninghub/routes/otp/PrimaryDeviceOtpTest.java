package io.provisioninghub.routes.otp;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RCC.14 §2.3 end to end: a primary device over non-3GPP access identifies itself by IMSI and/or MSISDN, receives
 * its OTP by SMS (read here as octets at the SMSC simulator, as the phone would) and sends it back with the cookie.
 * Each test uses generated subscribers of its own (per-MSISDN SMS limits).
 */
class PrimaryDeviceOtpTest extends SharedHubTest {

    private static final Duration SMS_WAIT = Duration.ofSeconds(20);

    private static SmscInbox smsc() {
        return hub.smsc();
    }

    @Test // OTP-1, OTP-2, OTP-3, OTP-4, §2.3.1.1, Figure 5, Figure 6, §2.3.3 step 1, Table 9, Table 10
    void wifiDeviceGets511ThenOtpByPortSmsThenConfiguration() {
        Subscribers user = Subscribers.generated(20_001);
        // §2.3.1.1: the plain-HTTP request carries no enrichment → 511 + Set-Cookie.
        HttpResponse<String> first = device.get("http://localhost:" + hub.httpPort() + "/", Map.of());
        assertThat(first.statusCode()).isEqualTo(511);
        String cookie511 = cookieOf(first).orElseThrow();

        HttpResponse<String> otpRequest = device.secureRequest(table9(null, user.msisdn(), "", null), cookie511, Map.of());

        assertThat(otpRequest.statusCode()).isEqualTo(200);
        assertThat(otpRequest.body()).isEmpty();
        String cookie = cookieOf(otpRequest).orElseThrow();
        assertThat(otpRequest.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure").contains("HttpOnly");
        RecordedSubmit sms = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
        // §2.3.3 step 1, octet by octet: UDHI, UCS2, 16-bit port IE for 37273 (0x9199), source port 0, UTF-16BE text.
        assertThat(sms.esmClass() & 0x40).isEqualTo(0x40);
        assertThat(sms.dataCoding()).isEqualTo(0x08);
        byte[] octets = sms.shortMessage();
        assertThat(HexFormat.of().formatHex(octets, 0, 7)).isEqualTo("06050491990000");
        String otp = new String(Arrays.copyOfRange(octets, 7, octets.length), StandardCharsets.UTF_16BE);
        assertThat(otp).matches("[0-9]{6}");
        assertThat(sms.text()).isEqualTo(otp);

        HttpResponse<String> configured = device.secureRequest("OTP=" + otp, cookie, Map.of());

        assertThat(configured.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(configured.body());
        assertThat(doc.topLevelTypes()).contains("VERS", "TOKEN", "APPLICATION");
        assertThat(doc.version()).isPositive();
        assertThat(doc.parm("TOKEN", "token")).hasValueSatisfying(t -> assertThat(t).hasSize(24));
        assertThat(doc.parm("APPLICATION", "Private_User_Identity"))
                .contains(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org");
    }

    @Test // OTP-2, Figure 7: IMSI only → the MSISDN comes from the HLR, and the SMS goes there
    void imsiOnlyIsResolvedThroughTheHlr() {
        Subscribers user = Subscribers.generated(20_002);

        HttpResponse<String> otpRequest = device.secureRequest(table9(user.imsi(), null, "", null), null, Map.of());

        assertThat(otpRequest.statusCode()).isEqualTo(200);
        RecordedSubmit sms = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
        HttpResponse<String> configured = device.secureRequest("otp=" + sms.text(), cookieOf(otpRequest).orElseThrow(), Map.of());
        assertThat(configured.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(configured.body()).parm("TOKEN", "token")).isPresent();
    }

    @Test // OTP-2, Figure 9, §2.3.4 case 1: an IMSI the network cannot resolve → 403, and no SMS
    void unresolvableImsiOnlyIs403() {
        int before = smsc().simulator().submits().size();

        HttpResponse<String> response = device.secureRequest(table9("001019999999999", null, "", null), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(smsc().simulator().submits()).hasSize(before);
    }

    @Test // §2.3.4 case 1: an MSISDN the user typed that is not a subscriber → 403
    void unknownMsisdnIs403() {
        HttpResponse<String> response = device.secureRequest(table9(null, "+15559999999", "", null), null, Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test // §2.3.4 case 1: an MSISDN unauthorised to retrieve the configuration (fixture 2, barred) → 403, no SMS
    void barredSubscriberIs403() throws InterruptedException {
        int before = smsc().to("+15550000002").size(); // other tests may have sent this fixture a trigger SMS

        HttpResponse<String> response = device.secureRequest(table9(null, "+15550000002", "", null), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        Thread.sleep(500); // an SMS wrongly queued would reach the simulator within this
        assertThat(smsc().to("+15550000002")).hasSize(before);
    }

    @Test // OTP-1: IMSI and msisdn naming different subscribers → 403
    void contradictoryIdentityIs403() {
        Subscribers a = Subscribers.generated(20_003);
        Subscribers b = Subscribers.generated(20_004);
        assertThat(device.secureRequest(table9(a.imsi(), b.msisdn(), "", null), null, Map.of()).statusCode()).isEqualTo(403);
    }

    @Test // OTP-3, §2.3.3 step 1: any port 1–65535 is honoured in the UDH
    void clientPortIsHonoured() {
        Subscribers user = Subscribers.generated(20_005);

        assertThat(device.secureRequest(table9(null, user.msisdn(), "", 16000), null, Map.of()).statusCode()).isEqualTo(200);

        RecordedSubmit sms = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
        assertThat(HexFormat.of().formatHex(sms.shortMessage(), 0, 7)).isEqualTo("0605043e800000");
        assertThat(sms.destinationPort()).isEqualTo(16000);
    }

    @Test // OTP-1: SMS_port above 65535 → 403
    void portOutOfRangeIs403() {
        Subscribers user = Subscribers.generated(20_006);
        assertThat(device.secureRequest(table9(null, user.msisdn(), "", 65536), null, Map.of()).statusCode()).isEqualTo(403);
    }

    @Test // OTP-3, §2.3.3 step 2: SMS_port=0 → a standard, user-visible SMS from the operator's template
    void portZeroGetsAPlainSms() {
        Subscribers user = Subscribers.generated(20_007);

        HttpResponse<String> otpRequest = device.secureRequest(table9(null, user.msisdn(), "", 0), null,
                Map.of("Accept-Language", "fr"));

        assertThat(otpRequest.statusCode()).isEqualTo(200);
        RecordedSubmit sms = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT);
        assertThat(sms.esmClass() & 0x40).isZero();
        assertThat(sms.udh()).isNull();
        assertThat(sms.destinationPort()).isNull();
        assertThat(sms.text()).startsWith("Votre code de configuration est ");
        String otp = SmscInbox.otpIn(sms.text());
        assertThat(device.secureRequest("OTP=" + otp, cookieOf(otpRequest).orElseThrow(), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test // OTP-4, OTP-7, §2.3.4: a wrong OTP → 511; the right one after it still works; then it is used up → 511
    void wrongAndReusedOtpAre511() {
        Subscribers user = Subscribers.generated(20_008);
        HttpResponse<String> otpRequest = device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of());
        String cookie = cookieOf(otpRequest).orElseThrow();
        String otp = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text();
        String wrong = otp.equals("000000") ? "000001" : "000000";

        assertThat(device.secureRequest("OTP=" + wrong, cookie, Map.of()).statusCode()).isEqualTo(511);
        assertThat(device.secureRequest("OTP=" + otp, cookie, Map.of()).statusCode()).isEqualTo(200);
        assertThat(device.secureRequest("OTP=" + otp, cookie, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-4, OTP-7: an expired OTP → 511
    void expiredOtpIs511() {
        Subscribers user = Subscribers.generated(20_009);
        String cookie = cookieOf(device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of())).orElseThrow();
        String otp = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text();
        hub.hubDatabase().update("UPDATE otp_challenge SET expires_at = now() - interval '1 second' WHERE msisdn = ?",
                user.msisdn());

        assertThat(device.secureRequest("OTP=" + otp, cookie, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-4: an OTP without the cookie of its challenge → 511
    void otpWithoutCookieIs511() {
        Subscribers user = Subscribers.generated(20_010);
        device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of());
        String otp = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text();

        assertThat(device.secureRequest("OTP=" + otp, null, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-4: the OTP in a POST form body (out of the query string) works; a repeated OTP parameter → 403
    void otpInAFormBodyAndRepeatedOtp() {
        Subscribers user = Subscribers.generated(20_011);
        String cookie = cookieOf(device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of())).orElseThrow();
        String otp = smsc().awaitSubmit(user.msisdn(), 1, SMS_WAIT).text();

        assertThat(device.secureRequest("OTP=" + otp + "&otp=" + otp, cookie, Map.of()).statusCode()).isEqualTo(403);
        assertThat(device.securePost("OTP=" + otp, cookie, "OTP=" + otp).statusCode()).isEqualTo(403);
        HttpResponse<String> configured = device.securePost(null, cookie, "OTP=" + otp);
        assertThat(configured.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(configured.body()).parm("TOKEN", "token")).isPresent();
    }

    @Test // OTP-4, §2.3.2 case 2, Figure 8: a valid token → the configuration directly, no SMS
    void validTokenGetsConfigurationDirectly() {
        Subscribers user = Subscribers.generated(20_012);
        String token = configureByOtp(user);
        int smsBefore = smsc().to(user.msisdn()).size();

        HttpResponse<String> response = device.secureRequest(table9(null, user.msisdn(), token, null), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(response.body());
        assertThat(doc.version()).isPositive();
        assertThat(smsc().to(user.msisdn())).hasSize(smsBefore);
    }

    @Test // OTP-4, §2.3.4 last case: an unknown token → 511
    void invalidTokenIs511() {
        Subscribers user = Subscribers.generated(20_013);
        assertThat(device.secureRequest(table9(null, user.msisdn(), "AAAAAAAAAAAAAAAAAAAAAAAA", null), null, Map.of())
                .statusCode()).isEqualTo(511);
        assertThat(device.secureRequest(table9(null, user.msisdn(), "not-a-token", null), null, Map.of())
                .statusCode()).isEqualTo(511);
    }

    @Test // OTP-4: a token is bound to its identity: presented for another subscriber → 511
    void tokenOfAnotherSubscriberIs511() {
        Subscribers owner = Subscribers.generated(20_014);
        Subscribers other = Subscribers.generated(20_015);
        String token = configureByOtp(owner);

        assertThat(device.secureRequest(table9(null, other.msisdn(), token, null), null, Map.of()).statusCode()).isEqualTo(511);
        assertThat(device.secureRequest(table9(other.imsi(), null, token, null), null, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-4, §2.3.2 case 3: the operator demotes the tokens → handled as an empty token (200 + cookie + OTP SMS)
    void tokenWithoutPrivilegeIsHandledAsEmpty() {
        Subscribers user = Subscribers.generated(20_016);
        String token = configureByOtp(user);
        assertThat(operatorPost("/operator/v1/subscribers/" + user.imsi() + "/tokens/require-otp").statusCode()).isEqualTo(200);
        // The per-MSISDN limit (1 a minute) would refuse a second OTP this minute; open a new window for this test.
        hub.hubDatabase().update("DELETE FROM sms_rate_window WHERE subject LIKE ?", "msisdn:" + user.msisdn() + ":%");

        HttpResponse<String> response = device.secureRequest(table9(null, user.msisdn(), token, null), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cookieOf(response)).isPresent();
        assertThat(response.body()).isEmpty();
        smsc().awaitSubmit(user.msisdn(), 2, SMS_WAIT);
    }

    @Test // OTP-4: a token revoked by the operator → 511
    void revokedTokenIs511() {
        Subscribers user = Subscribers.generated(20_017);
        String token = configureByOtp(user);

        HttpResponse<String> revoke = operatorAs("care").delete("/operator/v1/subscribers/" + user.imsi() + "/tokens");

        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(revoke.body()).contains("\"revoked\":1");
        assertThat(device.secureRequest(table9(null, user.msisdn(), token, null), null, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // OTP-7: tokens and OTPs are stored hashed; the OTP has at most 5 tries
    void secretsAreStoredHashed() {
        Subscribers user = Subscribers.generated(20_018);
        String token = configureByOtp(user);

        Map<String, Object> challenge = hub.hubDatabase().queryForMap(
                "SELECT otp_hash, salt, max_attempts FROM otp_challenge WHERE msisdn = ?", user.msisdn());
        assertThat((byte[]) challenge.get("otp_hash")).hasSize(32);
        assertThat(challenge.get("max_attempts")).isEqualTo(5);
        Integer tokensInClear = hub.hubDatabase().queryForObject(
                "SELECT count(*) FROM access_token WHERE position(convert_to(?, 'UTF8') in token_hash) > 0", Integer.class, token);
        assertThat(tokensInClear).isZero();
        assertThat(hub.hubDatabase().queryForObject("SELECT issued_by FROM access_token WHERE msisdn = ? ORDER BY issued_at DESC LIMIT 1",
                String.class, user.msisdn())).isEqualTo("primary");
    }

    /** The whole §2.3.2 case 1 exchange; returns the TOKEN of the configuration. */
    static String configureByOtp(Subscribers user) {
        int before = hub.smsc().to(user.msisdn()).size();
        HttpResponse<String> otpRequest = device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of());
        assertThat(otpRequest.statusCode()).isEqualTo(200);
        String otp = hub.smsc().awaitSubmit(user.msisdn(), before + 1, SMS_WAIT).text();
        HttpResponse<String> configured = device.secureRequest("OTP=" + otp, cookieOf(otpRequest).orElseThrow(), Map.of());
        assertThat(configured.statusCode()).isEqualTo(200);
        return ProvisioningDocument.parse(configured.body()).parm("TOKEN", "token").orElseThrow();
    }

    /** A POST with no body to a customer-care endpoint of the operator API (role care), on the operator plane. */
    static HttpResponse<String> operatorPost(String path) {
        return operatorAs("care").postJson(path, null);
    }
}
