package io.provisioninghub.connectors.deviceidentity.sandbox;

import io.provisioninghub.connectors.deviceidentity.DeviceCertificates;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityProperties;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityRefusedException;
import io.provisioninghub.connectors.deviceidentity.ManufacturerTrust;
import io.provisioninghub.connectors.deviceidentity.Pem;
import io.provisioninghub.connectors.deviceidentity.RefusalReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * SIGNUP-1: the sandbox's test manufacturer CA keeps its keys, certificates and revocations in its directory,
 * and its command line mints device credentials a person can use (PEM and PKCS#12) and revokes them.
 */
class TestManufacturerCaTest {

    static final String IMEI = "352099001761481";

    @TempDir
    Path data;

    @Test
    void signup1_theCaIsCreatedOnceAndLoadedWithItsRevocationsAfterwards() throws Exception {
        TestManufacturerCa created = TestManufacturerCa.loadOrCreate(data);
        DeviceCredentials device = created.mintImei(IMEI);
        created.revoke(device.certificate());

        TestManufacturerCa loaded = TestManufacturerCa.loadOrCreate(data);
        DeviceCredentials second = loaded.mintImei(IMEI);
        loaded.revoke(second.certificate());

        assertThat(loaded.rootCertificate()).isEqualTo(created.rootCertificate());
        assertThat(loaded.intermediateCertificate()).isEqualTo(created.intermediateCertificate());
        assertThat(loaded.organisation()).isEqualTo(TestManufacturerCa.SANDBOX_ORGANISATION);
        assertThat(Files.readString(data.resolve(TestManufacturerCa.ROOT_CERT))).startsWith("-----BEGIN CERTIFICATE-----");
        var crl = Pem.crls(Files.readAllBytes(data.resolve(TestManufacturerCa.INTERMEDIATE_CRL))).get(0);
        assertThat(crl.isRevoked(device.certificate())).as("revoked before the reload").isTrue();
        assertThat(crl.isRevoked(second.certificate())).isTrue();
        crl.verify(created.intermediateCertificate().getPublicKey());
    }

    @Test
    void signup1_theCommandLineMintsPemAndPkcs12ThatTheHubAccepts() throws Exception {
        Path ca = data.resolve("ca");
        Path out = data.resolve("out");

        Result minted = run("--dir", ca.toString(), "mint", "--imei", "35209900176148", "--out", out.toString(),
                "--password", "s3cret");

        assertThat(minted.exit()).as(minted.err()).isZero();
        assertThat(minted.out()).contains("Device IMEI:" + IMEI, "SHA-256 fingerprint: ");
        String chainPem = Files.readString(out.resolve("device-" + IMEI + ".cert.pem"));
        List<X509Certificate> chain = Pem.certificates(chainPem);
        assertThat(chain).hasSize(2);
        PrivateKey key = Pem.privateKey(Files.readString(out.resolve("device-" + IMEI + ".key.pem")));
        assertKeyMatches(key, chain.get(0));

        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(out.resolve("device-" + IMEI + ".p12"))) {
            p12.load(in, "s3cret".toCharArray());
        }
        Certificate[] p12Chain = p12.getCertificateChain(DeviceCredentials.ALIAS);
        assertThat(p12Chain).containsExactly(chain.toArray(new Certificate[0]));
        assertKeyMatches((PrivateKey) p12.getKey(DeviceCredentials.ALIAS, "s3cret".toCharArray()), chain.get(0));

        DeviceCertificates hub = hubTrusting(ca);
        assertThat(hub.validatePem(chainPem).value()).isEqualTo(IMEI);
    }

    @Test
    void signup1_theCommandLineRevokesAndTheHubThenRefuses() throws Exception {
        Path ca = data.resolve("ca");
        assertThat(run("--dir", ca.toString(), "mint", "--serial", "BAND-1", "--out", data.toString()).exit()).isZero();
        Path certificate = data.resolve("device-BAND-1.cert.pem");

        Result revoked = run("--dir", ca.toString(), "revoke", certificate.toString());

        assertThat(revoked.exit()).as(revoked.err()).isZero();
        DeviceIdentityRefusedException refused = catchThrowableOfType(
                () -> hubTrusting(ca).validatePem(Files.readString(certificate)), DeviceIdentityRefusedException.class);
        assertThat(refused.reason()).isEqualTo(RefusalReason.REVOKED);
    }

    @Test
    void signup1_theCommandLineRefusesABadImeiAndMintsARandomTestImeiWithoutOne() {
        Result bad = run("--dir", data.resolve("ca").toString(), "mint", "--imei", "352099001761482",
                "--out", data.toString());
        Result random = run("--dir", data.resolve("ca").toString(), "mint", "--out", data.toString());
        Result init = run("--dir", data.resolve("ca").toString(), "init");

        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("is not a valid IMEI");
        assertThat(random.exit()).isZero();
        assertThat(random.out()).containsPattern("Device IMEI:00\\d{13},");
        assertThat(init.out()).contains("hub.device-identity.sandbox-ca-directory=",
                "hub.device-identity.manufacturers[0].ca-files[0]=");
    }

    private static DeviceCertificates hubTrusting(Path ca) {
        DeviceIdentityProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("hub.device-identity.sandbox-ca-directory", ca.toString())))
                .bindOrCreate("hub.device-identity", Bindable.of(DeviceIdentityProperties.class));
        return new DeviceCertificates(ManufacturerTrust.load(properties, Clock.systemUTC()), properties,
                Clock.systemUTC());
    }

    private static void assertKeyMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[]{1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[]{1, 2, 3});
        assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = SandboxCaCommand.run(args);
            return new Result(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private record Result(int exit, String out, String err) {
    }
}
