package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.SharedHubTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets the status RCC.14 names (Table 8: 403 for an invalid request, 511 when the network cannot
 * identify the subscriber), never a 500 and never a stack trace (CFG-3, CFG-7).
 */
class BadInputTest extends SharedHubTest {

    static final String MSISDN = "+15550000001";
    static final String IMSI = "001010000000001";
    static final String VALID = "vers=0&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3";



    private HttpResponse<String> secure(String query) {
        String cookie = DeviceClient.cookieOf(device.firstRequest(MSISDN, IMSI)).orElseThrow();
        return device.secureRequest(query, cookie, Map.of());
    }

    @ParameterizedTest(name = "[{index}] {0}") // CFG-3: Table 1 validation → 403
    @ValueSource(strings = {
            "provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3", // no vers
            "vers=0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",                    // no provisioning_version
            "vers=0&provisioning_version=2.0&terminal_model=Phone-1&terminal_sw_version=1.0.3",                // no terminal_vendor
            "vers=0&provisioning_version=2.0&terminal_vendor=ACME&terminal_sw_version=1.0.3",                  // no terminal_model
            "vers=0&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1",                     // no terminal_sw_version
            "vers=abc&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=-3&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=01&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=99999999999&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=+5&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=0&provisioning_version=2.0.10&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=0&provisioning_version=2.0&terminal_vendor=ACMEX&terminal_model=Phone-1&terminal_sw_version=1.0.3",
            "vers=0&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-12345&terminal_sw_version=1.0.3",
            "vers=0&provisioning_version=2.0&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3.45678",
            VALID + "&IMSI=00101000000000",          // 14 digits
            VALID + "&IMSI=0010100000000011",        // 16 digits
            VALID + "&IMSI=00101000000000a",
            VALID + "&IMEI=35345678901234",
            VALID + "&friendly_device_name=abcdefghijabcdefghijabcdefghij1", // 31 characters
            VALID + "&vers=0",                       // repeated parameter
            VALID + "&IMSI=001010000000001&IMSI=001010000000001", // repeated identity parameter
            VALID + "&bad=%zz",                      // malformed percent-encoding
            VALID + "&nul=%00",                      // control character
            VALID + "&=empty-name",
    })
    void invalidTable1ParametersAreForbidden(String query) {
        String cookie = DeviceClient.cookieOf(device.firstRequest(MSISDN, IMSI)).orElseThrow();
        assertThat(device.rawSecureGet(query, cookie)).isEqualTo(403);
    }

    @Test // CFG-3: oversized values and too many parameters → 403
    void oversizedInputIsForbidden() {
        assertThat(secure(VALID + "&extra=" + "x".repeat(300)).statusCode()).isEqualTo(403);
        StringBuilder many = new StringBuilder(VALID);
        for (int i = 0; i < 50; i++) {
            many.append("&p").append(i).append("=1");
        }
        assertThat(secure(many.toString()).statusCode()).isEqualTo(403);
    }

    @Test // CFG-3: operators relax Table 1 per client profile: an RCS 5.1-era client is accepted
    void rcs51ClientProfileIsAccepted() {
        String legacy = "vers=0&rcs_version=5.1B&rcs_profile=joyn_blackbird&client_vendor=Goog&client_version=RCSAndrd-6.0"
                + "&terminal_vendor=SAMSUNG&terminal_model=SM-G998B-EXTENDED&terminal_sw_version=G998BXXU5CVDD-2022";
        HttpResponse<String> response = secure(legacy);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("wap-provisioningdoc");
        // a friendly name without IMEI: the device is keyed by its (long) terminal values, still no 500
        assertThat(secure(legacy + "&friendly_device_name=Living%20room%20phone").statusCode()).isEqualTo(200);
        // without the profile's marker the long terminal values are still refused
        assertThat(secure(legacy.replace("rcs_version=5.1B&", "provisioning_version=2.0&")).statusCode()).isEqualTo(403);
    }

    @ParameterizedTest(name = "[{index}] {0}") // CFG-2: garbage cookies never identify anyone → 511, never 500
    @ValueSource(strings = {"rcc14-session=garbage", "rcc14-session=", "rcc14-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "=;;;=", "rcc14-session=\"quoted\"", "other=1; rcc14-session=%00%01", "rcc14-session=a; rcc14-session=b"})
    void garbageCookiesAreNotAnIdentity(String cookieHeader) {
        HttpResponse<String> response = device.secureRequest(VALID, null, Map.of("Cookie", cookieHeader));
        assertThat(response.statusCode()).isEqualTo(511);
    }

    @Test // CFG-1: enrichment headers from an address that is not a trusted proxy are ignored → 511
    void forgedEnrichmentFromAnUntrustedAddressIsIgnored() throws IOException {
        // The sandbox trusts 127.0.0.1 and ::1 only; this request leaves from 127.0.0.2.
        String response = rawHttpFrom("127.0.0.2", "GET / HTTP/1.1\r\nHost: localhost\r\nX-MSISDN: +15550000001\r\n"
                + "X-IMSI: 001010000000001\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 511");
        assertThat(response).contains("Set-Cookie: rcc14-session=");
        // the same request from the trusted gateway address is identified
        assertThat(rawHttpFrom("127.0.0.1", "GET / HTTP/1.1\r\nHost: localhost\r\nX-MSISDN: +15550000001\r\n"
                + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @ParameterizedTest(name = "[{index}] {0}") // CFG-1: malformed or repeated enrichment headers are no identity
    @ValueSource(strings = {"X-MSISDN: not-a-number\r\n", "X-IMSI: 12345\r\n",
            "X-MSISDN: +15550000001\r\nX-MSISDN: +15550000002\r\n"})
    void malformedEnrichmentIsNoIdentity(String headers) throws IOException {
        assertThat(rawHttpFrom("127.0.0.1", "GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
                + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 511");
    }

    @Test // CFG-7: "No input makes the server answer 500" — random query strings against a valid session
    void randomQueryStringsNeverAnswer500() {
        Random random = new Random(20261122L);
        String alphabet = "abcvers=&%0123456789IMSIterminal_+-.;/?\\\"'<>#";
        String cookie = DeviceClient.cookieOf(device.firstRequest(MSISDN, IMSI)).orElseThrow();
        for (int i = 0; i < 200; i++) {
            StringBuilder q = new StringBuilder(random.nextBoolean() ? VALID + "&" : "");
            int len = random.nextInt(60);
            for (int j = 0; j < len; j++) {
                q.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String query = q.toString().replace("#", "%23").replace(" ", "%20").replace("\"", "%22")
                    .replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C");
            // Tomcat itself answers 400 to a request line it cannot parse; the hub's own answers are 200/403/409.
            assertThat(device.rawSecureGet(query, cookie)).as("query %s", query).isIn(Set.of(200, 400, 403, 409));
        }
    }

    /** Sends raw HTTP/1.1 from a chosen loopback source address and returns the whole response. */
    private static String rawHttpFrom(String sourceAddress, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", hub.httpPort()), 5000);
            socket.setSoTimeout(10000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            in.transferTo(body);
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
