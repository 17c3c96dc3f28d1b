package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RCC.14 §2.2 end to end, one test per sandbox fixture subscriber and per Table 8 row that applies to cellular
 * access: a device (behind the sandbox's trusted gateway on loopback) sends the plain-HTTP request, then the
 * HTTPS request with the cookie, against the running hub with its real PostgreSQL, HLR and billing stand-ins.
 */
class CellularConfigurationTest extends SharedHubTest {

    static final String ACTIVE_IMSI = "001010000000001";
    static final String ACTIVE_MSISDN = "+15550000001";



    @Test // CFG-1, Table 8 row 1: first request over HTTP → 200 OK + Set-Cookie
    void firstRequestOverHttpAnswers200WithCookie() {
        HttpResponse<String> first = device.firstRequest(ACTIVE_MSISDN, ACTIVE_IMSI);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).startsWith("rcc14-session=").contains("HttpOnly").contains("Max-Age="));
    }

    @Test // CFG-2, CFG-4, CFG-6, CFG-10, INT-5, Table 2, Table 8 row 3: fixture 1 gets the full configuration
    void activeSubscriberGetsTheFullConfiguration() {
        HttpResponse<String> response = device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, ACTIVE_IMSI));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/xml"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        ProvisioningDocument doc = ProvisioningDocument.parse(response.body());
        assertThat(doc.rootVersionAttribute()).isEqualTo("1.1");
        assertThat(doc.topLevelTypes()).containsExactly("VERS", "TOKEN", "MSG", "APPLICATION", "MESSAGING");
        assertThat(doc.version()).isPositive();
        assertThat(doc.validity()).isEqualTo(86400);
        assertThat(doc.parm("TOKEN", "token")).hasValueSatisfying(t -> assertThat(t).hasSize(24));
        assertThat(doc.parm("MSG", "title")).contains("Welcome");
        assertThat(doc.parm("MSG", "Accept_btn")).contains("1");
        // TS 23.003 identities filled from the HLR
        assertThat(doc.parm("APPLICATION", "Private_User_Identity"))
                .contains("001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
        assertThat(doc.allParmValues("Public_User_Identity")).containsExactly(
                "sip:+15550000001@ims.mnc001.mcc001.3gppnetwork.org", "tel:+15550000001",
                "sip:001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
        assertThat(doc.parm("MESSAGING", "user-msisdn")).contains(ACTIVE_MSISDN);
        assertThat(doc.hasEmptyParmValue()).isFalse();
    }

    @Test // CFG-4, Table 3, Table 8 row 4: the client holds the current version → VERS only, refreshed validity
    void currentVersionGetsVersionAndValidityOnly() {
        long version = ProvisioningDocument.parse(
                device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, ACTIVE_IMSI)).body()).version();

        HttpResponse<String> check = device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(version, ACTIVE_IMSI));

        assertThat(check.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(check.body());
        assertThat(doc.topLevelTypes()).containsExactly("VERS");
        assertThat(doc.version()).isEqualTo(version);
        assertThat(doc.validity()).isEqualTo(86400);
    }

    @Test // CFG-4: an older or unknown client version → the full document again, same server version
    void staleVersionGetsTheFullDocument() {
        long version = ProvisioningDocument.parse(
                device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, ACTIVE_IMSI)).body()).version();

        ProvisioningDocument doc = ProvisioningDocument.parse(
                device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(version + 1000, ACTIVE_IMSI)).body());

        assertThat(doc.version()).isEqualTo(version);
        assertThat(doc.topLevelTypes()).contains("APPLICATION", "MESSAGING");
        // §2.2.3: no welcome message for a client that had a configuration (vers > 0)
        assertThat(doc.topLevelTypes()).doesNotContain("MSG");
    }

    @Test // CFG-4: vers -1 and -2 from the client (it had disabled itself) → full document
    void negativeClientVersionsGetTheFullDocument() {
        for (long vers : new long[]{-1, -2}) {
            ProvisioningDocument doc = ProvisioningDocument.parse(
                    device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(vers, ACTIVE_IMSI)).body());
            assertThat(doc.version()).isPositive();
            assertThat(doc.topLevelTypes()).contains("APPLICATION");
        }
    }

    @Test // CFG-4: "equal inputs give an equal version": two subscribers with the same services share it
    void subscribersWithTheSameStaticConfigurationShareTheVersion() {
        long a = ProvisioningDocument.parse(device.configure("+15551000001", "001011000000001",
                table1(0, null)).body()).version();
        long b = ProvisioningDocument.parse(device.configure("+15551000002", "001011000000002",
                table1(0, null)).body()).version();
        assertThat(a).isEqualTo(b);
    }

    @Test // CFG-5, Table 4, §2.2.4 case 4: fixture 2, barred from every service → 0/0 with a MSG
    void barredSubscriberIsReset() {
        HttpResponse<String> response = device.configure("+15550000002", "001010000000002", table1(0, null));

        assertThat(response.statusCode()).isEqualTo(200);
        ProvisioningDocument doc = ProvisioningDocument.parse(response.body());
        assertThat(doc.topLevelTypes()).containsExactly("VERS", "MSG");
        assertThat(doc.version()).isZero();
        assertThat(doc.validity()).isZero();
        assertThat(doc.parm("MSG", "title")).contains("Services suspended");
    }

    @Test // CFG-7, Table 8 row 2: fixture 3, provisioning still in progress in billing → 503 + Retry-After
    void provisioningInProgressAnswers503WithRetryAfter() {
        HttpResponse<String> response = device.configure("+15550000003", "001010000000003", table1(0, null));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("120");
    }

    @Test // CFG-5, §2.2.4 cases 4 and 7: fixture 4 opted out of messaging → partial configuration (IMS only)
    void optedOutSubscriberGetsAPartialConfiguration() {
        HttpResponse<String> response = device.configure("+15550000004", "001010000000004", table1(0, null));

        ProvisioningDocument doc = ProvisioningDocument.parse(response.body());
        assertThat(doc.topLevelTypes()).containsExactly("VERS", "TOKEN", "MSG", "APPLICATION");
        assertThat(doc.version()).isPositive();
        long full = ProvisioningDocument.parse(device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, null)).body()).version();
        assertThat(doc.version()).as("a different static configuration has a different version").isNotEqualTo(full);
    }

    @Test // CFG-5, Table 5: fixture 5, permanently deprovisioned → -1/-1
    void deprovisionedSubscriberIsResetPermanently() {
        ProvisioningDocument doc = ProvisioningDocument.parse(
                device.configure("+15550000005", "001010000000005", table1(0, null)).body());

        assertThat(doc.version()).isEqualTo(-1);
        assertThat(doc.validity()).isEqualTo(-1);
        assertThat(doc.parm("MSG", "title")).contains("Services ended");
    }

    @Test // CFG-7, Table 8 (403 unknown subscriber): IMSI 001019999999999 is unknown everywhere
    void unknownSubscriberIsForbidden() {
        HttpResponse<String> response = device.configure(null, "001019999999999", table1(0, null));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test // CFG-6: MSG localised from Accept-Language, English fallback
    void userMessageFollowsAcceptLanguage() {
        assertThat(msgTitle("fr-FR,fr;q=0.9,en;q=0.5")).isEqualTo("Bienvenue");
        assertThat(msgTitle("de")).isEqualTo("Willkommen");
        assertThat(msgTitle("ja")).isEqualTo("Welcome");
        assertThat(msgTitle("%%%not a language")).isEqualTo("Welcome");
    }

    private String msgTitle(String acceptLanguage) {
        return ProvisioningDocument.parse(device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, null),
                Map.of("Accept-Language", acceptLanguage)).body()).parm("MSG", "title").orElseThrow();
    }

    @Test // CFG-7, Table 8 row 511 / §2.3.1.1: no header enrichment on the HTTP request → 511 + Set-Cookie
    void unidentifiedFirstRequestAnswers511WithCookie() {
        HttpResponse<String> response = device.firstRequest(null, null);
        assertThat(response.statusCode()).isEqualTo(511);
        assertThat(response.headers().firstValue("Set-Cookie")).isPresent();
    }

    @Test // CFG-2: the HTTPS request without a cookie cannot be correlated → 511 + Set-Cookie
    void secureRequestWithoutCookieAnswers511() {
        HttpResponse<String> response = device.secureRequest(table1(0, ACTIVE_IMSI), null, Map.of());
        assertThat(response.statusCode()).isEqualTo(511);
        assertThat(response.headers().firstValue("Set-Cookie")).isPresent();
    }

    @Test // CFG-2: a 511 session's cookie is not an identity
    void cookieOfA511SessionDoesNotIdentify() {
        String cookie = DeviceClient.cookieOf(device.firstRequest(null, null)).orElseThrow();
        assertThat(device.secureRequest(table1(0, ACTIVE_IMSI), cookie, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // CFG-8: the home network from the Host (config.rcs.mnc001.mcc001.pub.3gppnetwork.org)
    void hostNamesTheHomeNetwork() {
        String cookie = DeviceClient.cookieOf(device.firstRequest(ACTIVE_MSISDN, ACTIVE_IMSI)).orElseThrow();
        HttpResponse<String> served = device.secureRequest(table1(0, null), cookie,
                Map.of("Host", "config.rcs.mnc001.mcc001.pub.3gppnetwork.org"));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(served.body()).parm("APPLICATION", "Home_network_domain_name"))
                .contains("ims.mnc001.mcc001.3gppnetwork.org");

        HttpResponse<String> otherNetwork = device.secureRequest(table1(0, null), cookie,
                Map.of("Host", "config.rcs.mnc002.mcc001.pub.3gppnetwork.org"));
        assertThat(otherNetwork.statusCode()).isEqualTo(403);
    }

    @Test // CFG-3 / issue: a Table 1 IMSI that contradicts the network-identified subscriber → 403
    void contradictingImsiParameterIsForbidden() {
        HttpResponse<String> response = device.configure(ACTIVE_MSISDN, ACTIVE_IMSI, table1(0, "001010000000004"));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test // CFG-7, Table 8 409: duplicate friendly_device_name for the same identity
    void duplicateFriendlyDeviceNameAnswers409() {
        String name = "Kitchen tablet " + System.nanoTime() % 10000;
        String first = table1(0, null) + "&IMEI=353456789012341&friendly_device_name=" + name.replace(" ", "%20");
        String second = table1(0, null) + "&IMEI=353456789012358&friendly_device_name=" + name.replace(" ", "%20");

        assertThat(device.configure("+15551000010", "001011000000010", first).statusCode()).isEqualTo(200);
        assertThat(device.configure("+15551000010", "001011000000010", second).statusCode()).isEqualTo(409);
        assertThat(device.configure("+15551000010", "001011000000010", first).statusCode())
                .as("the device that holds the name may use it again").isEqualTo(200);
        assertThat(device.configure("+15551000011", "001011000000011", second).statusCode())
                .as("another identity may use the same name").isEqualTo(200);
    }
}
