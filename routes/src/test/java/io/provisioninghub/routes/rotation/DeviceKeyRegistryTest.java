package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** ROT-2 (issue 4, in progress): the device key registry through the operator API, rows read back. */
class DeviceKeyRegistryTest extends SharedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test // ROT-2: a device's public key is recorded by IMSI and IMEI, listed, replaced and removed
    void publicKeyIsRecordedListedAndRemoved() throws Exception {
        Subscribers user = Subscribers.generated(20_970);
        ECKey deviceKey = new ECKeyGenerator(Curve.P_256).generate();

        HttpResponse<String> put = call("PUT", user.imsi(), null,
                "{\"imei\":\"356938035643809\",\"jwk\":" + deviceKey.toPublicJWK().toJSONString() + "}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).get("thumbprint").asText())
                .isEqualTo(deviceKey.toPublicJWK().computeThumbprint().toString());
        JsonNode listed = JSON.readTree(call("GET", user.imsi(), null, null).body()).get("keys");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("imei").asText()).isEqualTo("356938035643809");
        assertThat(listed.get(0).get("publicJwk").has("d")).isFalse();
        assertThat(hub.hubDatabase().queryForObject("SELECT public_jwk FROM device_key WHERE imsi = ?", String.class,
                user.imsi())).doesNotContain("\"d\"");

        assertThat(call("DELETE", user.imsi(), "imei=356938035643809", null).body()).contains("\"removed\":1");
        assertThat(JSON.readTree(call("GET", user.imsi(), null, null).body()).get("keys")).isEmpty();
    }

    @Test // ROT-2: private key material, weak keys and garbage are refused (400), unknown subscribers 404
    void badKeysAreRefused() throws Exception {
        Subscribers user = Subscribers.generated(20_971);
        ECKey withPrivatePart = new ECKeyGenerator(Curve.P_256).generate();
        RSAKey weak = new RSAKeyGenerator(1024, true).generate();

        assertThat(call("PUT", user.imsi(), null, "{\"jwk\":" + withPrivatePart.toJSONString() + "}").body())
                .contains("private key material");
        HttpResponse<String> weakAnswer = call("PUT", user.imsi(), null, "{\"jwk\":" + weak.toPublicJWK().toJSONString() + "}");
        assertThat(weakAnswer.statusCode()).isEqualTo(400);
        assertThat(weakAnswer.body()).contains("2048");
        assertThat(call("PUT", user.imsi(), null, "{\"jwk\":{\"kty\":\"nope\"}}").statusCode()).isEqualTo(400);
        HttpResponse<String> notJson = call("PUT", user.imsi(), null, "not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        // The error's message quotes the expected JSON: the answer must still be valid JSON (it was not).
        assertThat(JSON.readTree(notJson.body()).get("error").asText()).contains("\"jwk\"");
        assertThat(call("GET", "001019999999999", null, null).statusCode()).isEqualTo(404);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM device_key WHERE imsi = ?", Integer.class,
                user.imsi())).isZero();
    }

    /** The device-keys endpoint on the operator plane, as the security team (role security). */
    private static HttpResponse<String> call(String method, String imsi, String query, String body) {
        OperatorClient security = operatorAs("security");
        HttpRequest.Builder request = security.request(
                        "/operator/v1/subscribers/" + imsi + "/device-keys" + (query == null ? "" : "?" + query))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return security.send(request.build());
    }
}
