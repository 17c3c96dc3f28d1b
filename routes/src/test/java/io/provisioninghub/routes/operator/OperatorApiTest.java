package io.provisioninghub.routes.operator;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer care marks a subscriber for resend through the operator API; the next check then gets the full
 * document although the client's version is current (RCC.14 §2.2.4 case 3, CFG-4, OPS-4).
 */
class OperatorApiTest extends SharedHubTest {

    static final String TOKEN = "sandbox-operator-token";


    @Test // CFG-4, §2.2.4 case 3: resend mark → full document on the next check, then VERS-only again
    void resendMarkGivesTheFullDocumentOnce() {
        String msisdn = "+15551000020";
        String imsi = "001011000000020";
        long version = ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(0, null)).body()).version();
        assertThat(ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body())
                .topLevelTypes()).containsExactly("VERS");

        HttpResponse<String> marked = operator("POST", "/operator/v1/subscribers/" + imsi + "/resend", TOKEN);
        assertThat(marked.statusCode()).isEqualTo(202);
        assertThat(operator("GET", "/operator/v1/subscribers/" + imsi + "/configuration", TOKEN).body())
                .contains("\"resendRequested\":true");

        ProvisioningDocument resent = ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body());
        assertThat(resent.topLevelTypes()).contains("APPLICATION", "MESSAGING");
        assertThat(resent.version()).isEqualTo(version);

        assertThat(ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body())
                .topLevelTypes()).as("the mark is used once").containsExactly("VERS");
    }

    @Test // OPS-4: the operator API refuses callers without the operator token
    void operatorApiNeedsTheToken() {
        assertThat(operator("POST", "/operator/v1/subscribers/001010000000001/resend", null).statusCode()).isEqualTo(401);
        assertThat(operator("POST", "/operator/v1/subscribers/001010000000001/resend", "wrong").statusCode()).isEqualTo(401);
    }

    @Test // OPS-4: the operator token never travels in clear: the plain-HTTP port refuses the operator API
    void operatorApiIsRefusedOverPlainHttp() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + hub.httpPort()
                        + "/operator/v1/subscribers/001010000000001/configuration"))
                .header("Authorization", "Bearer " + TOKEN).GET().build();
        HttpResponse<String> response = device.send(request);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("HTTPS only");
    }

    @Test // OPS-4: the state tells when the last full document was sent, in UTC
    void configurationStateIsJson() {
        device.configure("+15551000021", "001011000000021", table1(0, null));
        HttpResponse<String> state = operator("GET", "/operator/v1/subscribers/001011000000021/configuration", TOKEN);
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(state.body()).contains("\"imsi\":\"001011000000021\"").containsPattern("\"lastServedAt\":\"[0-9T:.-]+Z\"");
    }

    @Test // OPS-4: unknown subscribers and malformed IMSIs get clear errors
    void unknownOrMalformedSubscribers() {
        assertThat(operator("POST", "/operator/v1/subscribers/001019999999999/resend", TOKEN).statusCode()).isEqualTo(404);
        assertThat(operator("GET", "/operator/v1/subscribers/12345/configuration", TOKEN).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> operator(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + hub.httpsPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return device.send(request.build());
    }
}
