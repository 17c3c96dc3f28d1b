package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.provisioninghub.connectors.deviceidentity.TrustFixture.refusal;
import static io.provisioninghub.connectors.deviceidentity.TrustFixture.trusting;
import static io.provisioninghub.connectors.deviceidentity.TrustFixture.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNUP-1: revocation through the manufacturers' CRLs (PKIXRevocationChecker over a CertStore of the configured
 * CRL files), the CRL files re-read when they change, and "revocation required".
 */
class CrlRevocationTest {

    static final String IMEI = DeviceCertificatesTest.IMEI;

    @TempDir
    Path data;

    TestManufacturerCa acme;

    @BeforeEach
    void manufacturer() {
        acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
    }

    @Test
    void signup1_aRevokedDeviceCertificateIsRefusedAndItsSiblingsStillAccepted() {
        DeviceCredentials stolen = acme.mintImei(IMEI);
        DeviceCredentials sibling = acme.mintImei(Imei.withCheckDigit("35209900176149"));
        acme.revoke(stolen.certificate());
        DeviceCertificates hub = validator(trusting(acme, true));

        DeviceIdentityRefusedException refused = refusal(() -> hub.validate(stolen.chain()), RefusalReason.REVOKED);

        assertThat(refused.getMessage()).startsWith("the device certificate was revoked by its manufacturer on ")
                .endsWith("(reason: KEY_COMPROMISE)");
        assertThat(hub.validate(sibling.chain()).kind()).isEqualTo(DeviceIdentity.Kind.IMEI);
    }

    @Test
    void signup1_aRevokedIntermediateTakesEveryDeviceUnderItWithIt() {
        DeviceCredentials device = acme.mintImei(IMEI);
        acme.revoke(acme.intermediateCertificate());
        DeviceCertificates hub = validator(trusting(acme, true));

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.REVOKED).getMessage())
                .startsWith("intermediate certificate 1 was revoked by its manufacturer");
    }

    @Test
    void signup1_aCrlFileIsReReadOnTheNextValidationAfterItChanges() {
        Map<String, String> properties = trusting(acme, true);
        properties.put("hub.device-identity.crl-refresh-interval", "0s");
        DeviceCertificates hub = validator(properties);
        DeviceCredentials device = acme.mintImei(IMEI);
        assertThat(hub.validate(device.chain()).value()).isEqualTo(IMEI);

        acme.revoke(device.certificate());

        refusal(() -> hub.validate(device.chain()), RefusalReason.REVOKED);
    }

    @Test
    void signup1_aChangedCrlFileIsReReadOnlyOnceTheRefreshIntervalHasPassed() {
        TrustFixture.MovableClock clock = new TrustFixture.MovableClock();
        Map<String, String> properties = trusting(acme, true);
        properties.put("hub.device-identity.crl-refresh-interval", "10m");
        DeviceIdentityProperties bound = TrustFixture.bind(properties);
        ManufacturerTrust trust = ManufacturerTrust.load(bound, clock);
        DeviceCertificates hub = new DeviceCertificates(trust, bound, clock);
        DeviceCredentials device = acme.mintImei(IMEI);

        acme.revoke(device.certificate());
        clock.advance(Duration.ofMinutes(9));
        assertThat(hub.validate(device.chain()).value()).as("still the CRL read at start").isEqualTo(IMEI);

        clock.advance(Duration.ofMinutes(1));
        refusal(() -> hub.validate(device.chain()), RefusalReason.REVOKED);
    }

    @Test
    void signup1_anUnreadableCrlFileAfterStartKeepsTheLastGoodCrl() throws Exception {
        DeviceCredentials device = acme.mintImei(IMEI);
        acme.revoke(device.certificate());
        Map<String, String> properties = trusting(acme, true);
        properties.put("hub.device-identity.crl-refresh-interval", "0s");
        DeviceCertificates hub = validator(properties);

        Files.writeString(acme.crlFiles().get(1), "-----BEGIN X509 CRL-----\nhalf a fi");

        refusal(() -> hub.validate(device.chain()), RefusalReason.REVOKED);
    }

    @Test
    void signup1_anUnreadableCrlFileAtStartStopsTheStart() throws Exception {
        Files.writeString(acme.crlFiles().get(0), "not a CRL");

        assertThatThrownBy(() -> validator(trusting(acme, true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.device-identity.manufacturers[0].crl-files")
                .hasMessageContaining("cannot read the CRL file");
    }

    @Test
    void signup1_withoutCrlsRevocationIsNotCheckedUnlessRequired() {
        DeviceCredentials device = acme.mintImei(IMEI);
        acme.revoke(device.certificate());
        Map<String, String> required = trusting(acme, false);
        required.put("hub.device-identity.revocation-required", "true");

        assertThat(validator(trusting(acme, false)).validate(device.chain()).value()).isEqualTo(IMEI);
        assertThat(refusal(() -> validator(required).validate(device.chain()), RefusalReason.REVOCATION_UNKNOWN)
                .getMessage()).contains("revocation status", "unknown");
    }

    @Test
    void signup1_revocationRequiredAcceptsWithCurrentCrlsAndRefusesOnceTheyAreStale() {
        DeviceCredentials device = acme.mintImei(IMEI);
        TrustFixture.MovableClock clock = new TrustFixture.MovableClock();
        Map<String, String> required = trusting(acme, true);
        required.put("hub.device-identity.revocation-required", "true");
        DeviceCertificates hub = validator(required, clock);

        assertThat(hub.validate(device.chain()).value()).isEqualTo(IMEI);

        // Past the CRLs' nextUpdate (7 days, plus the JDK's 15 minutes of tolerance): no current CRL any more.
        clock.advance(TestManufacturerCa.CRL_VALIDITY.plusHours(1));
        refusal(() -> hub.validate(device.chain()), RefusalReason.REVOCATION_UNKNOWN);
    }

    @Test
    void signup1_withOnlyTheIntermediatesCrlAndRevocationNotRequiredTheRootsMissingCrlIsNoRefusal() {
        DeviceCredentials device = acme.mintImei(IMEI);
        Map<String, String> properties = trusting(acme, false);
        properties.put("hub.device-identity.manufacturers[0].crl-files[0]", acme.crlFiles().get(1).toString());

        assertThat(validator(properties).validate(device.chain()).value()).isEqualTo(IMEI);
    }

    // Documented soft behaviour: the JDK's checker ignores a CRL past its nextUpdate. The hub warns about it.
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void signup1_withRevocationNotRequiredAStaleCrlNoLongerRefusesWhatItListsAndTheHubWarns(CapturedOutput log) {
        DeviceCredentials device = acme.mintImei(IMEI);
        acme.revoke(device.certificate());
        TrustFixture.MovableClock clock = new TrustFixture.MovableClock();
        DeviceCertificates hub = validator(trusting(acme, true), clock);
        refusal(() -> hub.validate(device.chain()), RefusalReason.REVOKED);

        clock.advance(TestManufacturerCa.CRL_VALIDITY.plusHours(1));

        assertThat(hub.validate(device.chain()).value()).isEqualTo(IMEI);
        assertThat(log.getOut()).contains("intermediate-ca.crl.pem", "is past its nextUpdate",
                "the certificates it revokes are accepted again");
    }
}
