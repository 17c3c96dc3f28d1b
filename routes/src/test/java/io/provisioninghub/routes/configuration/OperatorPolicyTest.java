package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator policies that need a differently configured hub: security-enhanced mode (CFG-9, RCC.14 §2.2.5) and a
 * deployment serving two home networks (CFG-8). Both run as extra replicas of the shared sandbox hub; and an
 * internal fault answers 500 with no internals (CFG-7).
 */
class OperatorPolicyTest {

    static HubInstance shared;
    static HubInstance securityEnhanced;
    static HubInstance twoNetworks;

    static final String OTHER_IMSI = "999099000000001";
    static final String OTHER_MSISDN = "+15559990001";

    @BeforeAll
    static void startReplicas() {
        shared = HubInstance.shared();
        securityEnhanced = HubInstance.startReplicaOf(shared, Map.of("hub.policy.security-enhanced", "true"));
        twoNetworks = HubInstance.startReplicaOf(shared, Map.of(
                "hub.networks[0].mcc", "001", "hub.networks[0].mnc", "01",
                "hub.networks[0].parameters.pcscf-address", "pcscf.ims.mnc001.mcc001.3gppnetwork.org",
                "hub.networks[0].parameters.conference-factory", "sip:conference-factory@ims.mnc001.mcc001.3gppnetwork.org",
                "hub.networks[0].parameters.ft-http-server", "https://ft.rcs.mnc001.mcc001.pub.3gppnetwork.org/upload",
                "hub.networks[1].mcc", "999", "hub.networks[1].mnc", "099",
                "hub.networks[1].parameters.pcscf-address", "pcscf.ims.mnc099.mcc999.3gppnetwork.org",
                "hub.networks[1].parameters.conference-factory", "sip:conference-factory@ims.mnc099.mcc999.3gppnetwork.org",
                "hub.networks[1].parameters.ft-http-server", "https://ft.rcs.mnc099.mcc999.pub.3gppnetwork.org/upload"));
        // A subscriber of the second network, in the HLR and in billing (the stand-ins' own stores).
        JdbcTemplate hlr = shared.hlrDatabase();
        hlr.update("INSERT INTO subscriber (imsi, msisdn) VALUES (?, ?) ON CONFLICT DO NOTHING", OTHER_IMSI, OTHER_MSISDN.substring(1));
        var postgres = shared.sandbox().postgres().orElseThrow();
        JdbcTemplate billing = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                postgres.jdbcUrl("billing"), postgres.username(), ""));
        billing.update("INSERT INTO product (msisdn, offering_id, status) SELECT ?, id, 'active' FROM product_offering "
                + "WHERE NOT EXISTS (SELECT 1 FROM product WHERE msisdn = ?)", OTHER_MSISDN, OTHER_MSISDN);
    }

    @AfterAll
    static void stopReplicas() {
        securityEnhanced.close();
        twoNetworks.close();
    }

    @Test // CFG-9, §2.2.5: security-enhanced mode answers the enriched HTTP request with 511 + cookie
    void securityEnhancedModeAnswers511OnCellular() {
        DeviceClient device = securityEnhanced.device();
        HttpResponse<String> first = device.firstRequest("+15550000001", "001010000000001");
        assertThat(first.statusCode()).isEqualTo(511);
        String cookie = DeviceClient.cookieOf(first).orElseThrow();
        // the enrichment only yields the MSISDN; it does not identify: the HTTPS request is not configured
        assertThat(device.secureRequest(table1(0, null), cookie, Map.of()).statusCode()).isEqualTo(511);
        // the same request on a standard-mode replica is served
        assertThat(shared.device().configure("+15550000001", "001010000000001", table1(0, null)).statusCode()).isEqualTo(200);
    }

    @Test // CFG-9, OTP-2, §2.2.5: security-enhanced mode continues with §2.3.2 on the 511's cookie, without asking
          // the user for the MSISDN the gateway already asserted
    void securityEnhancedModeContinuesWithTheOtpFlow() {
        io.provisioninghub.routes.support.Subscribers user = io.provisioninghub.routes.support.Subscribers.generated(20_450);
        DeviceClient device = securityEnhanced.device();
        HttpResponse<String> first = device.firstRequest(user.msisdn(), user.imsi());
        assertThat(first.statusCode()).isEqualTo(511);

        HttpResponse<String> otpRequest = device.secureRequest(DeviceClient.table9(null, null, "", null),
                DeviceClient.cookieOf(first).orElseThrow(), Map.of());

        assertThat(otpRequest.statusCode()).isEqualTo(200);
        String otp = shared.smsc().awaitSubmit(user.msisdn(), 1, java.time.Duration.ofSeconds(20)).text();
        HttpResponse<String> configured = device.secureRequest("OTP=" + otp,
                DeviceClient.cookieOf(otpRequest).orElseThrow(), Map.of());
        assertThat(configured.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(configured.body()).parm("APPLICATION", "Private_User_Identity"))
                .contains(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org");
    }

    @Test // CFG-8: the home network from the Host, or else from the IMSI; a mismatch → 403
    void oneDeploymentServesTwoHomeNetworks() {
        DeviceClient device = twoNetworks.device();
        String cookie = DeviceClient.cookieOf(device.firstRequest(OTHER_MSISDN, OTHER_IMSI)).orElseThrow();

        ProvisioningDocument byHost = ProvisioningDocument.parse(device.secureRequest(table1(0, null), cookie,
                Map.of("Host", "config.rcs.mnc099.mcc999.pub.3gppnetwork.org")).body());
        assertThat(byHost.parm("APPLICATION", "Home_network_domain_name")).contains("ims.mnc099.mcc999.3gppnetwork.org");
        assertThat(byHost.parm("APPLICATION", "Private_User_Identity")).contains(OTHER_IMSI + "@ims.mnc099.mcc999.3gppnetwork.org");

        ProvisioningDocument byImsi = ProvisioningDocument.parse(device.secureRequest(table1(0, null), cookie, Map.of()).body());
        assertThat(byImsi.parm("APPLICATION", "Home_network_domain_name")).contains("ims.mnc099.mcc999.3gppnetwork.org");
        assertThat(byImsi.version()).isEqualTo(byHost.version());

        long firstNetworkVersion = ProvisioningDocument.parse(device.configure("+15551000300", "001011000000300",
                table1(0, null)).body()).version();
        assertThat(byImsi.version()).as("other static parameters, other version").isNotEqualTo(firstNetworkVersion);

        assertThat(device.secureRequest(table1(0, null), cookie,
                Map.of("Host", "config.rcs.mnc001.mcc001.pub.3gppnetwork.org")).statusCode()).isEqualTo(403);
    }

    @Test // CFG-4, §2.2.4 case 3: a changed static parameter (the operator moves the P-CSCF) → a new, higher
    // version, and the device that held the old one gets the full document
    void changedStaticParameterGivesANewHigherVersion() {
        String msisdn = "+15551000302";
        String imsi = "001011000000302";
        long before = ProvisioningDocument.parse(shared.device().configure(msisdn, imsi, table1(0, null)).body()).version();
        HubInstance moved = HubInstance.startReplicaOf(shared, Map.of(
                "hub.networks[0].mcc", "001", "hub.networks[0].mnc", "01",
                "hub.networks[0].parameters.pcscf-address", "pcscf2.ims.mnc001.mcc001.3gppnetwork.org",
                "hub.networks[0].parameters.conference-factory", "sip:conference-factory@ims.mnc001.mcc001.3gppnetwork.org",
                "hub.networks[0].parameters.ft-http-server", "https://ft.rcs.mnc001.mcc001.pub.3gppnetwork.org/upload"));
        try {
            ProvisioningDocument after = ProvisioningDocument.parse(
                    moved.device().configure(msisdn, imsi, table1(before, null)).body());
            assertThat(after.version()).isGreaterThan(before);
            assertThat(after.topLevelTypes()).contains("APPLICATION", "MESSAGING");
            assertThat(after.allParmValues("Address")).contains("pcscf2.ims.mnc001.mcc001.3gppnetwork.org");
        } finally {
            moved.close();
        }
    }

    @Test // CFG-7: an internal fault answers 500 with a fixed body, no internals
    void internalFaultAnswers500WithoutInternals() {
        JdbcTemplate hubDb = shared.hubDatabase();
        hubDb.execute("CREATE OR REPLACE FUNCTION test_fail_subscriber_config() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.imsi = '001011000000301' THEN RAISE EXCEPTION 'injected fault for a test'; END IF; "
                + "RETURN NEW; END $$ LANGUAGE plpgsql");
        hubDb.execute("CREATE TRIGGER test_fail_subscriber_config BEFORE INSERT OR UPDATE ON subscriber_config "
                + "FOR EACH ROW EXECUTE FUNCTION test_fail_subscriber_config()");
        try {
            HttpResponse<String> response = shared.device().configure("+15551000301", "001011000000301", table1(0, null));
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("Internal Server Error");
        } finally {
            hubDb.execute("DROP TRIGGER test_fail_subscriber_config ON subscriber_config");
            hubDb.execute("DROP FUNCTION test_fail_subscriber_config()");
        }
    }
}
