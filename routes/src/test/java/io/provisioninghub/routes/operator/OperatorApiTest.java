package io.provisioninghub.routes.operator;

import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer care marks a subscriber for resend through the operator API; the next check then gets the full
 * document although the client's version is current (RCC.14 §2.2.4 case 3, CFG-4, OPS-4).
 */
class OperatorApiTest extends SharedHubTest {

    /** Customer care: resend and the configuration state need the role care (or admin). */
    private static OperatorClient care;

    @BeforeAll
    static void customerCare() {
        care = operatorAs("care");
    }

    @Test // CFG-4, §2.2.4 case 3: resend mark → full document on the next check, then VERS-only again
    void resendMarkGivesTheFullDocumentOnce() {
        String msisdn = "+15551000020";
        String imsi = "001011000000020";
        long version = ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(0, null)).body()).version();
        assertThat(ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body())
                .topLevelTypes()).containsExactly("VERS");

        HttpResponse<String> marked = care.postJson("/operator/v1/subscribers/" + imsi + "/resend", null);
        assertThat(marked.statusCode()).isEqualTo(202);
        assertThat(care.get("/operator/v1/subscribers/" + imsi + "/configuration").body())
                .contains("\"resendRequested\":true");

        ProvisioningDocument resent = ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body());
        assertThat(resent.topLevelTypes()).contains("APPLICATION", "MESSAGING");
        assertThat(resent.version()).isEqualTo(version);

        assertThat(ProvisioningDocument.parse(device.configure(msisdn, imsi, table1(version, null)).body())
                .topLevelTypes()).as("the mark is used once").containsExactly("VERS");
    }

    @Test // OPS-4: the operator API refuses callers without a valid access token
    void operatorApiNeedsTheToken() {
        assertThat(withToken("POST", "/operator/v1/subscribers/001010000000001/resend", null).statusCode()).isEqualTo(401);
        assertThat(withToken("POST", "/operator/v1/subscribers/001010000000001/resend", "wrong").statusCode()).isEqualTo(401);
    }

    @Test // OPS-4, issue 13: the device ports (plain HTTP and HTTPS) have no operator API, even with a valid token
    void operatorApiIsNotOnTheDevicePorts() {
        String path = "/operator/v1/subscribers/001010000000001/configuration";
        for (String base : new String[]{"http://localhost:" + hub.httpPort(), "https://localhost:" + hub.httpsPort()}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + care.accessToken()).GET().build();
            HttpResponse<String> response = device.send(request);
            assertThat(response.statusCode()).as(base).isEqualTo(404);
        }
    }

    @Test // OPS-4: the state tells when the last full document was sent, in UTC
    void configurationStateIsJson() {
        device.configure("+15551000021", "001011000000021", table1(0, null));
        HttpResponse<String> state = care.get("/operator/v1/subscribers/001011000000021/configuration");
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(state.body()).contains("\"imsi\":\"001011000000021\"").containsPattern("\"lastServedAt\":\"[0-9T:.-]+Z\"");
    }

    @Test // OPS-4: unknown subscribers and malformed IMSIs get clear errors
    void unknownOrMalformedSubscribers() {
        assertThat(care.postJson("/operator/v1/subscribers/001019999999999/resend", null).statusCode()).isEqualTo(404);
        assertThat(care.get("/operator/v1/subscribers/12345/configuration").statusCode()).isEqualTo(400);
    }

    /** A request on the operator port with {@code token} as the bearer token as given (null: no Authorization). */
    private HttpResponse<String> withToken(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(care.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return care.send(request.build());
    }
}
