package io.provisioninghub.routes.otp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.additionalDevice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RCC.14 §2.6 end to end: the operator issues an OTP for a dedicated identity out of band (operator API), the
 * SIM-less device sends token and OTP in one request (Table 14) and is configured; later it uses its token.
 */
class DedicatedIdentityTest extends SharedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test // OTP-6, §2.6 steps 1–4, Table 14, Figure 13: OTP out of band → configuration + token in one request
    void outOfBandOtpConfiguresTheDevice() throws Exception {
        Subscribers identity = Subscribers.generated(20_201);
        String otp = issueOtp(identity.msisdn());
        assertThat(otp).matches("[0-9]{6}");

        HttpResponse<String> response = device.secureRequest(
                additionalDevice(identity.msisdn(), null, "", "Other", "Smart band", otp), null, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(response.body());
        assertThat(doc.parm("APPLICATION", "Private_User_Identity"))
                .contains(identity.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org");
        String token = doc.parm("TOKEN", "token").orElseThrow();
        assertThat(hub.hubDatabase().queryForObject("SELECT device_type FROM access_token WHERE msisdn = ? AND issued_by = 'dedicated'",
                String.class, identity.msisdn())).isEqualTo("Other");

        // §2.6.1: the next attempt carries the token and an empty OTP.
        HttpResponse<String> again = device.secureRequest(
                additionalDevice(identity.msisdn(), null, token, "Other", "Smart band", ""), null, Map.of());
        assertThat(again.statusCode()).isEqualTo(200);
        // The OTP was single use.
        assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "Other", null, otp), null, Map.of())
                .statusCode()).isEqualTo(511);
        // No SMS in this flow: the OTP came out of band.
        assertThat(hub.smsc().to(identity.msisdn())).isEmpty();
    }

    @Test // §2.6.2 case 1: an identity that is not valid → 403 (and the operator API says 404)
    void unknownIdentityIs403() {
        assertThat(operatorIssue("+15559999996").statusCode()).isEqualTo(404);
        assertThat(device.secureRequest(additionalDevice("+15559999996", null, "", "Other", null, "123456"), null, Map.of())
                .statusCode()).isEqualTo(403);
    }

    @Test // §2.6.2 case 2: a token no longer valid → 511
    void invalidTokenIs511() {
        Subscribers identity = Subscribers.generated(20_202);
        assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "CCCCCCCCCCCCCCCCCCCCCCCC", "PC", null, ""),
                null, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // §2.6.2 case 3: the server cannot reach billing → 503 with Retry-After, and the OTP is not used up
    void backEndDownIs503AndKeepsTheOtp() throws Exception {
        Subscribers identity = Subscribers.generated(20_205);
        String otp = issueOtp(identity.msisdn());
        var faults = hub.sandbox().billing().orElseThrow().faults();
        faults.failNext(3, 500);
        try {
            HttpResponse<String> response = device.secureRequest(
                    additionalDevice(identity.msisdn(), null, "", "Other", null, otp), null, Map.of());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            faults.failNext(0, 500);
        }
        assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "Other", null, otp), null, Map.of())
                .statusCode()).isEqualTo(200);
    }

    @Test // OTP-7: five wrong OTPs use the challenge up: the right one is refused afterwards (511)
    void fiveWrongTriesKillTheOtp() throws Exception {
        Subscribers identity = Subscribers.generated(20_203);
        String otp = issueOtp(identity.msisdn());
        int wrong = 0;
        for (int guess = 0; wrong < 5; guess++) {
            String candidate = String.format("%06d", guess);
            if (candidate.equals(otp)) {
                continue;
            }
            assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "PC", null, candidate), null, Map.of())
                    .statusCode()).isEqualTo(511);
            wrong++;
        }

        assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "PC", null, otp), null, Map.of())
                .statusCode()).isEqualTo(511);
    }

    @Test // OTP-6: a newer OTP for the same identity replaces the older one
    void newOtpReplacesTheOlder() throws Exception {
        Subscribers identity = Subscribers.generated(20_204);
        String older = issueOtp(identity.msisdn());
        String newer = issueOtp(identity.msisdn());

        if (!older.equals(newer)) {
            assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "PC", null, older), null, Map.of())
                    .statusCode()).isEqualTo(511);
        }
        assertThat(device.secureRequest(additionalDevice(identity.msisdn(), null, "", "PC", null, newer), null, Map.of())
                .statusCode()).isEqualTo(200);
    }

    @Test // OTP-6: the operator API needs an operator access token
    void operatorApiNeedsItsToken() {
        OperatorClient care = operatorAs("care");
        HttpResponse<String> response = care.send(java.net.http.HttpRequest.newBuilder(
                        care.uri("/operator/v1/identities/%2B15551020205/otp"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private static String issueOtp(String msisdn) throws Exception {
        HttpResponse<String> response = operatorIssue(msisdn);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("expiresAt").asText()).isNotBlank();
        return body.get("otp").asText();
    }

    private static HttpResponse<String> operatorIssue(String msisdn) {
        return PrimaryDeviceOtpTest.operatorPost("/operator/v1/identities/%2B" + msisdn.substring(1) + "/otp");
    }
}
