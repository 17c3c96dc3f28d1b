package io.provisioninghub.routes;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.RotatingDevice;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No subscriber identifier appears in the clear in any log, the HTTP access log included, and neither do
 * cookies or tokens (issue 2, OPS-3, OTP-7) — with the hub's own loggers at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogRedactionTest {

    /** The sandbox authorization server's secret of the client {@code security} (see HubInstance#operator). */
    private static final String SECURITY_CLIENT_SECRET = "sandbox-security";

    @Test
    void identifiersCookiesAndTokensStayOutOfLogs(CapturedOutput output) throws IOException {
        HubInstance hub = HubInstance.shared();
        LoggingSystem logging = hub.context().getBean(LoggingSystem.class);
        logging.setLogLevel("io.provisioninghub", LogLevel.DEBUG);
        try {
            DeviceClient device = hub.device();
            List<String> secrets = new ArrayList<>();
            String[][] subscribers = {{"+15550000001", "001010000000001"}, {"+15550000002", "001010000000002"},
                    {"+15550000003", "001010000000003"}, {"+15550000004", "001010000000004"},
                    {"+15550000005", "001010000000005"}, {null, "001019999999999"}};
            for (String[] s : subscribers) {
                HttpResponse<String> first = device.firstRequest(s[0], s[1]);
                String cookie = DeviceClient.cookieOf(first).orElseThrow();
                secrets.add(cookie.substring(cookie.indexOf('=') + 1));
                HttpResponse<String> second = device.secureRequest(
                        table1(0, s[1]) + "&IMEI=353456789012341&friendly_device_name=Phone", cookie, Map.of());
                int token = second.body().indexOf("name=\"token\" value=\"");
                if (token >= 0) {
                    secrets.add(second.body().substring(token + 20, second.body().indexOf('"', token + 20)));
                }
            }
            String logs = output.getAll();
            // The access log is on standard output with the rest (logger http.access), and was read.
            assertThat(logs).contains("http.access").contains("GET / HTTP/1.1");
            for (String[] s : subscribers) {
                if (s[0] != null) {
                    assertThat(logs).doesNotContain(s[0]).doesNotContain(s[0].substring(1));
                }
                assertThat(logs).doesNotContain(s[1]);
            }
            assertThat(logs).doesNotContain("353456789012341");
            assertThat(secrets).hasSizeGreaterThan(6);
            for (String secret : secrets) {
                assertThat(logs).doesNotContain(secret);
            }
        } finally {
            logging.setLogLevel("io.provisioninghub", null);
        }
    }

    @Test // OTP-7: OTPs, tokens, cookies and MSISDNs of the OTP flows (§2.3, §2.5, §2.6, the SMS outbox) stay out of logs
    void otpFlowSecretsStayOutOfLogs(CapturedOutput output) throws IOException {
        HubInstance hub = HubInstance.shared();
        LoggingSystem logging = hub.context().getBean(LoggingSystem.class);
        logging.setLogLevel("io.provisioninghub", LogLevel.DEBUG);
        try {
            DeviceClient device = hub.device();
            List<String> secrets = new ArrayList<>();
            Subscribers primary = Subscribers.generated(20_901);
            Subscribers tabletOwner = Subscribers.generated(20_902);
            // §2.3.2: OTP by port SMS, then the configuration with a token
            HttpResponse<String> otpRequest = device.secureRequest(DeviceClient.table9(null, primary.msisdn(), "", null), null, Map.of());
            String cookie = DeviceClient.cookieOf(otpRequest).orElseThrow();
            String otp = hub.smsc().awaitSubmit(primary.msisdn(), 1, Duration.ofSeconds(20)).text();
            HttpResponse<String> configured = device.securePost(null, cookie, "OTP=" + otp);
            secrets.add(cookie.substring(cookie.indexOf('=') + 1));
            secrets.add(tokenIn(configured.body()));
            // §2.5: a plain SMS to the primary, the OTP typed on the tablet
            HttpResponse<String> tablet = device.secureRequest(DeviceClient.additionalDevice(tabletOwner.msisdn(), null, "",
                    "Tablet", "Den tablet", null), null, Map.of());
            String tabletOtp = SmscInbox.otpIn(hub.smsc().awaitSubmit(tabletOwner.msisdn(), 1, Duration.ofSeconds(20)).text());
            HttpResponse<String> tabletConfigured = device.secureRequest("OTP=" + tabletOtp,
                    DeviceClient.cookieOf(tablet).orElseThrow(), Map.of());
            secrets.add(tokenIn(tabletConfigured.body()));
            // a wrong OTP and an unknown token are refused without echo
            device.secureRequest("OTP=99999999", cookie, Map.of());
            device.secureRequest(DeviceClient.table9(null, primary.msisdn(), "ZZZZZZZZZZZZZZZZZZZZZZZZ", null), null, Map.of());
            secrets.add("ZZZZZZZZZZZZZZZZZZZZZZZZ");

            String logs = output.getAll();
            for (Subscribers s : List.of(primary, tabletOwner)) {
                assertThat(logs).doesNotContain(s.msisdn()).doesNotContain(s.msisdn().substring(1)).doesNotContain(s.imsi());
            }
            assertThat(secrets).hasSize(4).doesNotContainNull();
            for (String secret : secrets) {
                assertThat(logs).doesNotContain(secret);
            }
            // An OTP is 6 digits: look for it as a value of its own, not inside a longer number or a UUID.
            for (String code : List.of(otp, tabletOtp, "99999999")) {
                assertThat(logs).doesNotContainPattern("(?<![0-9A-Za-z])" + code + "(?![0-9A-Za-z])");
            }
        } finally {
            logging.setLogLevel("io.provisioninghub", null);
        }
    }

    @Test // ROT-2: the nonce, the proposal (JWS/JWE), the new K and OPc, and the IMSI stay out of logs, at DEBUG
    void rotationSecretsStayOutOfLogs(CapturedOutput output) throws Exception {
        HubInstance hub = HubInstance.shared();
        LoggingSystem logging = hub.context().getBean(LoggingSystem.class);
        logging.setLogLevel("io.provisioninghub", LogLevel.DEBUG);
        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            Subscribers user = Subscribers.generated(20_903);
            String imei = hub.hlrDatabase().queryForObject("SELECT imei FROM subscriber WHERE imsi = ?", String.class, user.imsi());
            com.nimbusds.jose.jwk.ECKey key = RotatingDevice.newKey();
            // OPS-4: the key goes on record through the operator plane, as the security team (client credentials).
            OperatorClient security = hub.operator("security");
            String accessToken = security.accessToken();
            security.put("/operator/v1/subscribers/" + user.imsi() + "/device-keys", "application/json",
                    "{\"imei\":\"" + imei + "\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}");
            RotatingDevice phone = new RotatingDevice(hub.device(), user.imsi(), imei, key);
            kafka.send("hub.rotation.requests", user.imsi(),
                    KafkaTopics.rotationRequested(java.util.UUID.randomUUID().toString(), user.imsi(), "compromised"));
            hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
            RotatingDevice.Challenge challenge = RotatingDevice.challengeIn(
                    hub.device().configure(user.msisdn(), user.imsi(), table1(0, user.imsi())).body()).orElseThrow();
            byte[] k = RotatingDevice.newK();
            String proposal = phone.proposal(challenge, k);
            assertThat(phone.post(challenge.url(), proposal).statusCode()).isEqualTo(200);
            phone.post(challenge.url(), proposal); // a replay, refused: its refusal is logged too
            String opc = hub.hlrDatabase().queryForObject("SELECT a.opc FROM auc_3g a JOIN subscriber s ON s.id = a.subscriber_id "
                    + "WHERE s.imsi = ?", String.class, user.imsi());

            String logs = output.getAll();
            assertThat(logs).contains("new K and OPc written to the HLR"); // the flow ran and logged
            assertThat(logs).doesNotContain(user.imsi()).doesNotContain(user.msisdn().substring(1)).doesNotContain(imei);
            assertThat(logs).doesNotContain(challenge.nonce()).doesNotContain(opc)
                    .doesNotContain(java.util.HexFormat.of().formatHex(k)).doesNotContainIgnoringCase(java.util.HexFormat.of().formatHex(k));
            for (String part : proposal.split("\\.")) {
                assertThat(logs).doesNotContain(part);
            }
            // OPS-4: neither the operator's OAuth access token (nor its signature alone) nor the client's secret, plain
            // or as sent in the token request's Basic credentials, appear in any log.
            assertThat(logs).doesNotContain(accessToken).doesNotContain(accessToken.substring(accessToken.lastIndexOf('.') + 1))
                    .doesNotContain(SECURITY_CLIENT_SECRET)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(("security:" + SECURITY_CLIENT_SECRET)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } finally {
            logging.setLogLevel("io.provisioninghub", null);
        }
    }

    private static String tokenIn(String body) {
        int token = body.indexOf("name=\"token\" value=\"");
        assertThat(token).isNotNegative();
        return body.substring(token + 20, body.indexOf('"', token + 20));
    }

}
