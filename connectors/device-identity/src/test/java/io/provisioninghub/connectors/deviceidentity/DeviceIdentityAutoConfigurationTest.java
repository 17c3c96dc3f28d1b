package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.SandboxDevice;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.provisioninghub.connectors.deviceidentity.TrustFixture.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIGNUP-1: how the connector starts from {@code hub.device-identity.*}, and how a bad trust configuration stops it. */
class DeviceIdentityAutoConfigurationTest {

    static final String IMEI = DeviceCertificatesTest.IMEI;

    @TempDir
    Path data;

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(DeviceIdentityTestApplication.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    @Test
    void signup1_configuredFromCaFilesAndCrlFilesTheBeansValidateAndVerify() {
        TestManufacturerCa acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        SandboxDevice device = new SandboxDevice(acme.mintImei(IMEI));
        try (ConfigurableApplicationContext hub = start(
                "hub.device-identity.manufacturers[0].name=Acme",
                "hub.device-identity.manufacturers[0].ca-files=" + acme.rootCertificateFile(),
                "hub.device-identity.manufacturers[0].crl-files=" + acme.crlFiles().get(0) + ","
                        + acme.crlFiles().get(1))) {

            assertThat(hub.getBean(DeviceCertificates.class).validate(device.credentials().chain()).manufacturerName())
                    .isEqualTo("Acme");
            assertThat(hub.getBean(SignedChallenges.class).verify(device.signChallenge("n-1")).device().value())
                    .isEqualTo(IMEI);
            assertThat(hub.getBean(ManufacturerTrust.class).crlCount()).isEqualTo(2);
        }
    }

    @Test
    void signup1_inlinePemTrustsTheManufacturerToo() {
        TestManufacturerCa acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        try (ConfigurableApplicationContext hub = start(
                "hub.device-identity.manufacturers[0].ca-pem=" + Pem.write(acme.rootCertificate()))) {

            DeviceIdentity identity = hub.getBean(DeviceCertificates.class).validate(acme.mintImei(IMEI).chain());

            assertThat(identity.manufacturerName()).as("defaults to the CA's subject")
                    .isEqualTo(acme.rootCertificate().getSubjectX500Principal().getName());
        }
    }

    @Test
    void signup1_theSandboxCaDirectoryTrustsTheTestManufacturerCaCreatedThere() {
        Path sandbox = data.resolve("sandbox/manufacturer-ca");
        try (ConfigurableApplicationContext hub = start("hub.device-identity.sandbox-ca-directory=" + sandbox)) {
            TestManufacturerCa ca = TestManufacturerCa.loadOrCreate(sandbox);

            DeviceIdentity identity = hub.getBean(DeviceCertificates.class).validate(ca.mintImei(IMEI).chain());

            assertThat(identity.manufacturerName()).isEqualTo(ManufacturerTrust.SANDBOX_MANUFACTURER);
            assertThat(identity.manufacturer()).contains(TestManufacturerCa.SANDBOX_ORGANISATION);
        }
    }

    @Test
    void signup1_withoutConfigurationTheHubStartsAndRefusesEveryDevice() {
        TestManufacturerCa acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        try (ConfigurableApplicationContext hub = start()) {
            refusal(() -> hub.getBean(DeviceCertificates.class).validate(acme.mintImei(IMEI).chain()),
                    RefusalReason.UNTRUSTED_CA);
        }
    }

    @Test
    void signup1_aManufacturerWithoutCaStopsTheStart() {
        assertThatThrownBy(() -> start("hub.device-identity.manufacturers[0].name=Acme"))
                .hasStackTraceContaining("a manufacturer needs ca-files or ca-pem");
    }

    @Test
    void signup1_aMissingCaFileStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> start("hub.device-identity.manufacturers[0].ca-files=" + data.resolve("nope.pem")))
                .hasStackTraceContaining("hub.device-identity.manufacturers[0].ca-files: cannot read");
    }

    @Test
    void signup1_aDeviceCertificateConfiguredAsCaStopsTheStart() {
        TestManufacturerCa acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        assertThatThrownBy(() -> start("hub.device-identity.manufacturers[0].ca-pem="
                + acme.mintImei(IMEI).chainPem().split("(?<=-----END CERTIFICATE-----)")[0]))
                .hasStackTraceContaining("is not a CA certificate");
    }

    @Test
    void signup1_rsaBelow2048BitsCannotBeConfigured() {
        assertThatThrownBy(() -> start("hub.device-identity.rsa-min-bits=1024"))
                .hasStackTraceContaining("rsaMinBits");
    }

    @Test
    void defaults() {
        DeviceIdentityProperties properties = TrustFixture.bind(Map.of());

        assertThat(properties.manufacturers()).isEmpty();
        assertThat(properties.revocationRequired()).isFalse();
        assertThat(properties.crlRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.maxChainLength()).isEqualTo(3);
        assertThat(properties.acceptedKeyTypes()).isEqualTo(Set.of(DeviceIdentityProperties.KeyType.EC_P256,
                DeviceIdentityProperties.KeyType.EC_P384, DeviceIdentityProperties.KeyType.RSA));
        assertThat(properties.rsaMinBits()).isEqualTo(2048);
        assertThat(properties.challengeMaxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.sandboxCaDirectory()).isNull();
    }
}
