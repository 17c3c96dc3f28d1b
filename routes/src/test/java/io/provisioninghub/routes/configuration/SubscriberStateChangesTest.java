package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriber's HLR state changes between checks, as customer care or the network would change it, and the
 * answers follow RCC.14 §2.2.4 (cases 3, 4, 6, 7) and the version rules of §2.2.1/§2.2.2 (CFG-4, CFG-5).
 * Each test works on its own generated subscriber, changing its HLR rows directly.
 */
class SubscriberStateChangesTest extends SharedHubTest {

    static JdbcTemplate hlr;

    @BeforeAll
    static void connectToHlr() {
        hlr = HubInstance.shared().hlrDatabase();
    }

    private static String imsi(int n) {
        return "00101" + String.format("%010d", 1000000000L + n);
    }

    private static String msisdn(int n) {
        return "+1555" + String.format("%07d", 1000000 + n);
    }

    private static void optOut(int n, String service) {
        hlr.update("INSERT INTO subscriber_service_opt_out (subscriber_id, service) "
                + "SELECT id, ? FROM subscriber WHERE imsi = ?", service, imsi(n));
    }

    private static void optIn(int n, String service) {
        hlr.update("DELETE FROM subscriber_service_opt_out WHERE service = ? AND subscriber_id = "
                + "(SELECT id FROM subscriber WHERE imsi = ?)", service, imsi(n));
    }

    private static void bar(int n, String service) {
        hlr.update("INSERT INTO subscriber_barring (subscriber_id, service) SELECT id, ? FROM subscriber WHERE imsi = ?",
                service, imsi(n));
    }

    private static ProvisioningDocument configure(int n, long vers) {
        HttpResponse<String> response = device.configure(msisdn(n), imsi(n), table1(vers, null));
        assertThat(response.statusCode()).isEqualTo(200);
        return ProvisioningDocument.parse(response.body());
    }

    @Test // CFG-5, Table 6, §2.2.4 case 7: opted out of every service → -2/-2 with a MSG
    void optedOutOfEveryServiceIsResetUntilUserAction() {
        optOut(200, "ims");
        optOut(200, "messaging");

        ProvisioningDocument doc = configure(200, 0);

        assertThat(doc.version()).isEqualTo(-2);
        assertThat(doc.validity()).isEqualTo(-2);
        assertThat(doc.parm("MSG", "title")).contains("Services turned off");
    }

    @Test // CFG-5, §2.2.4 case 4: barred from one service → the others only
    void barredFromOneServiceGetsTheOthers() {
        bar(201, "ims");

        ProvisioningDocument doc = configure(201, 0);

        assertThat(doc.topLevelTypes()).containsExactly("VERS", "TOKEN", "MSG", "MESSAGING");
    }

    @Test // CFG-4: a subscriber's version never decreases, although equal inputs keep equal versions
    void versionNeverDecreasesWhenAServiceComesBack() {
        long both = configure(202, 0).version();
        optOut(202, "messaging");
        long imsOnly = configure(202, both).version();
        optIn(202, "messaging");
        ProvisioningDocument back = configure(202, imsOnly);

        assertThat(imsOnly).isNotEqualTo(both);
        assertThat(back.version()).as("back to both services, the subscriber's version still grows")
                .isGreaterThanOrEqualTo(imsOnly);
        assertThat(back.topLevelTypes()).contains("APPLICATION", "MESSAGING");
        // every replica and every subscriber with the same static configuration now sees that same version
        assertThat(configure(203, 0).version()).isEqualTo(back.version());
    }

    @Test // §2.2.4 case 6: a user's several devices get the same configuration
    void devicesOfOneUserGetTheSameConfiguration() {
        String first = device.configure(msisdn(204), imsi(204), table1(0, null) + "&IMEI=353456789012341").body();
        String second = device.configure(msisdn(204), imsi(204), table1(0, null) + "&IMEI=353456789012358").body();

        ProvisioningDocument a = ProvisioningDocument.parse(first);
        ProvisioningDocument b = ProvisioningDocument.parse(second);
        assertThat(b.version()).isEqualTo(a.version());
        // everything but the freshly issued token is identical
        assertThat(second.replaceAll("name=\"token\" value=\"[^\"]*\"", ""))
                .isEqualTo(first.replaceAll("name=\"token\" value=\"[^\"]*\"", ""));
    }

    @Test // CFG-2: an expired cookie no longer identifies anyone → 511
    void expiredCookieAnswers511() {
        String cookie = DeviceClient.cookieOf(device.firstRequest(msisdn(205), imsi(205))).orElseThrow();
        hub.hubDatabase().update("UPDATE config_session SET expires_at = now() - interval '1 second' "
                + "WHERE cookie_hash = sha256(convert_to(?, 'UTF8'))", cookie.substring(cookie.indexOf('=') + 1));

        assertThat(device.secureRequest(table1(0, null), cookie, Map.of()).statusCode()).isEqualTo(511);
    }

    @Test // RCC.14 §2.2: a configuration document is only ever sent over HTTPS
    void plainHttpRequestWithParametersGetsNoDocument() {
        String cookie = DeviceClient.cookieOf(device.firstRequest(msisdn(206), imsi(206))).orElseThrow();
        HttpResponse<String> plain = device.get("http://localhost:" + hub.httpPort() + "/?" + table1(0, null),
                Map.of("Cookie", cookie, "X-MSISDN", msisdn(206)));

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).doesNotContain("wap-provisioningdoc");
        assertThat(plain.headers().firstValue("Set-Cookie")).isPresent();
    }

    @Test // CFG-6: MSG text is escaped (the welcome text holds '&' and a URL with a query string)
    void messageTextIsEscaped() {
        HttpResponse<String> response = device.configure(msisdn(207), imsi(207), table1(0, null));
        assertThat(response.body()).contains("&amp;");
        assertThat(ProvisioningDocument.parse(response.body()).parm("MSG", "message"))
                .hasValueSatisfying(m -> assertThat(m).contains(" & ").contains("?lang=en&src=rcs"));
    }
}
