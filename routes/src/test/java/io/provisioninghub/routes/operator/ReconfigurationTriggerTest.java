package io.provisioninghub.routes.operator;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RCC.14 §3 for one subscriber, through the operator API: the trigger SMS at the SMSC octet by octet, and the full
 * document at the next check.
 */
class ReconfigurationTriggerTest extends SharedHubTest {

    @Test // RECONF-1, RECONF-2, §3: an IMS-enabled subscriber gets "<IMPI>-rcscfg", then the full document
    void triggerSmsCarriesTheImpiAndTheNextCheckGetsTheFullDocument() {
        Subscribers user = Subscribers.generated(20_950);
        long version = ProvisioningDocument.parse(device.configure(user.msisdn(), user.imsi(), table1(0, user.imsi())).body())
                .version();
        assertThat(ProvisioningDocument.parse(device.configure(user.msisdn(), user.imsi(), table1(version, user.imsi())).body())
                .topLevelTypes()).containsExactly("VERS");

        HttpResponse<String> triggered = reconfigure(user.imsi());

        assertThat(triggered.statusCode()).isEqualTo(202);
        assertThat(triggered.body()).contains("\"sms\"");
        RecordedSubmit sms = hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(20));
        // §3: DCS 0x08, UDH 06 05 04 9199 0000, UCS2 text.
        assertThat(sms.dataCoding()).isEqualTo(0x08);
        assertThat(sms.esmClass() & 0x40).isEqualTo(0x40);
        byte[] octets = sms.shortMessage();
        assertThat(HexFormat.of().formatHex(octets, 0, 7)).isEqualTo("06050491990000");
        assertThat(new String(Arrays.copyOfRange(octets, 7, octets.length), StandardCharsets.UTF_16BE))
                .isEqualTo(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org-rcscfg");
        // The client checks with its current version and gets the whole document again.
        ProvisioningDocument after = ProvisioningDocument.parse(
                device.configure(user.msisdn(), user.imsi(), table1(version, user.imsi())).body());
        assertThat(after.topLevelTypes()).contains("APPLICATION");
    }

    @Test // RECONF-1, §3: with no IMS-based service enabled (fixture 2, barred) the text is "<IMSI>-rcscfg"
    void triggerWithoutImsServiceCarriesTheImsi() {
        int before = hub.smsc().to("+15550000002").size();

        assertThat(reconfigure("001010000000002").statusCode()).isEqualTo(202);

        RecordedSubmit sms = hub.smsc().awaitSubmit("+15550000002", before + 1, Duration.ofSeconds(20));
        assertThat(sms.text()).isEqualTo("001010000000002-rcscfg");
        assertThat(sms.destinationPort()).isEqualTo(37273);
    }

    @Test // OPS-4: an IMSI the HLR does not know → 404, no SMS
    void unknownSubscriberIs404() {
        assertThat(reconfigure("001019999999999").statusCode()).isEqualTo(404);
    }

    /** POST /operator/v1/subscribers/{imsi}/reconfigure as customer care (role care), on the operator plane. */
    private static HttpResponse<String> reconfigure(String imsi) {
        return operatorAs("care").postJson("/operator/v1/subscribers/" + imsi + "/reconfigure", null);
    }
}
