package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.provisioninghub.connectors.deviceidentity.TrustFixture.refusal;
import static io.provisioninghub.connectors.deviceidentity.TrustFixture.trusting;
import static io.provisioninghub.connectors.deviceidentity.TrustFixture.validator;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGNUP-1: PKIX validation of device certificate chains against the configured manufacturer CAs, with real
 * certificates minted by the sandbox's {@link TestManufacturerCa}: each refusal reason and its message.
 */
class DeviceCertificatesTest {

    /** IMEI 35-209900-176148-1 (valid Luhn check digit). */
    static final String IMEI = "352099001761481";

    @TempDir
    static Path data;

    static TestManufacturerCa acme;
    static TestManufacturerCa other;
    static DeviceCertificates hub;

    @BeforeAll
    static void manufacturers() {
        acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        other = TestManufacturerCa.loadOrCreate(data.resolve("other"), "Other Devices");
        hub = validator(trusting(acme, true));
    }

    @Test
    void signup1_aChainOfDeviceCertificateAndIntermediateGivesTheDeviceIdentity() throws Exception {
        DeviceCredentials device = acme.mintImei(IMEI);

        DeviceIdentity identity = hub.validate(device.chain());

        assertThat(identity.kind()).isEqualTo(DeviceIdentity.Kind.IMEI);
        assertThat(identity.value()).isEqualTo(IMEI);
        assertThat(identity.manufacturer()).isEqualTo(acme.rootCertificate().getSubjectX500Principal().getName())
                .contains("O=Acme Devices");
        assertThat(identity.manufacturerName()).isEqualTo("Acme");
        assertThat(identity.publicKey()).isEqualTo(device.certificate().getPublicKey());
        assertThat(identity.fingerprint()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(device.certificate().getEncoded())));
        assertThat(identity.notAfter()).isEqualTo(device.certificate().getNotAfter().toInstant());
        assertThat(identity.certificate()).isEqualTo(device.certificate());
        // Subscription identity stays apart; the device's own identifier stays out of log lines too.
        assertThat(identity.toString()).doesNotContain(IMEI).contains(identity.fingerprint());
        assertThat(identity.publicJwk().getKeyType().getValue()).isEqualTo("EC");
        assertThat(identity.publicJwk().isPrivate()).isFalse();
    }

    @Test
    void signup1_pemAndDerChainsAndATrailingRootAreAccepted() throws Exception {
        DeviceCredentials device = acme.mintImei(IMEI);
        List<X509Certificate> withRoot = new ArrayList<>(device.chain());
        withRoot.add(acme.rootCertificate());
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate certificate : device.chain()) {
            der.add(certificate.getEncoded());
        }

        assertThat(hub.validatePem("subject=... (openssl adds such lines)\n" + device.chainPem()).value())
                .isEqualTo(IMEI);
        assertThat(hub.validateDer(der).value()).isEqualTo(IMEI);
        assertThat(hub.validate(withRoot).value()).isEqualTo(IMEI);
    }

    @Test
    void signup1_serialNumbersRsaP384AndRootIssuedDevicesAreAccepted() {
        DeviceIdentity serial = hub.validate(acme.mintSerial("SBAND-2026.0001").chain());
        assertThat(serial.kind()).isEqualTo(DeviceIdentity.Kind.SERIAL);
        assertThat(serial.value()).isEqualTo("SBAND-2026.0001");

        assertThat(hub.validate(acme.device("IMEI:" + IMEI).rsa(2048).mint().chain()).publicKey().getAlgorithm())
                .isEqualTo("RSA");
        assertThat(hub.validate(acme.device("IMEI:" + IMEI).ec("secp384r1").mint().chain()).value()).isEqualTo(IMEI);
        assertThat(hub.validate(acme.device("SN:ROOT-ISSUED").issuedByRoot().mint().chain()).value())
                .isEqualTo("ROOT-ISSUED");
    }

    @Test
    void signup1_anExpiredCertificateIsRefused() {
        DeviceCredentials device = acme.device("IMEI:" + IMEI).expired().mint();

        DeviceIdentityRefusedException refused = refusal(() -> hub.validate(device.chain()), RefusalReason.EXPIRED);

        assertThat(refused.getMessage()).startsWith("the device certificate expired on ")
                .contains(device.certificate().getNotAfter().toInstant().toString()).doesNotContain(IMEI);
    }

    @Test
    void signup1_aCertificateNotYetValidIsRefused() {
        DeviceCredentials device = acme.device("IMEI:" + IMEI).notYetValid().mint();

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.NOT_YET_VALID).getMessage())
                .startsWith("the device certificate is not valid before ");
    }

    @Test
    void signup1_theClockSkewAllowanceAcceptsACertificateMintedByAClockAFewMinutesAhead() {
        Instant now = Instant.now();
        DeviceCredentials aheadTwoMinutes = acme.device("IMEI:" + IMEI)
                .validity(now.plus(Duration.ofMinutes(2)), now.plus(Duration.ofDays(1))).mint();
        DeviceCredentials aheadTenMinutes = acme.device("IMEI:" + IMEI)
                .validity(now.plus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(1))).mint();
        DeviceCredentials endedTwoMinutesAgo = acme.device("IMEI:" + IMEI)
                .validity(now.minus(Duration.ofDays(1)), now.minus(Duration.ofMinutes(2))).mint();

        assertThat(hub.validate(aheadTwoMinutes.chain()).value()).isEqualTo(IMEI);
        assertThat(hub.validate(endedTwoMinutesAgo.chain()).value()).isEqualTo(IMEI);
        refusal(() -> hub.validate(aheadTenMinutes.chain()), RefusalReason.NOT_YET_VALID);

        Map<String, String> noSkew = trusting(acme, true);
        noSkew.put("hub.device-identity.clock-skew", "0s");
        refusal(() -> validator(noSkew).validate(aheadTwoMinutes.chain()), RefusalReason.NOT_YET_VALID);
        refusal(() -> validator(noSkew).validate(endedTwoMinutesAgo.chain()), RefusalReason.EXPIRED);
    }

    @Test
    void signup1_aSelfSignedCertificateIsRefused() {
        DeviceCredentials device = acme.device("IMEI:" + IMEI).selfSigned().mint();

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.SELF_SIGNED).getMessage())
                .isEqualTo("the device certificate is self-signed: no manufacturer CA vouches for it");
    }

    @Test
    void signup1_aCertificateFromAnotherManufacturersCaIsRefusedAsUntrusted() {
        DeviceCredentials device = other.mintImei(IMEI);

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.UNTRUSTED_CA).getMessage())
                .startsWith("the certificate chain does not lead to a trusted manufacturer CA")
                .doesNotContain(IMEI, "Other Devices");
    }

    @Test
    void signup1_aChainWithoutItsIntermediateOrOutOfOrderIsRefusedAsUntrusted() {
        DeviceCredentials device = acme.mintImei(IMEI);

        refusal(() -> hub.validate(List.of(device.certificate())), RefusalReason.UNTRUSTED_CA);
        refusal(() -> hub.validate(List.of(device.chain().get(1), device.chain().get(0))),
                RefusalReason.UNTRUSTED_CA);
    }

    @Test
    void signup1_aChainLongerThanTheMaximumIsRefused() {
        DeviceCredentials device = acme.mintImei(IMEI);
        Map<String, String> one = trusting(acme, true);
        one.put("hub.device-identity.max-chain-length", "1");

        assertThat(refusal(() -> validator(one).validate(device.chain()), RefusalReason.UNTRUSTED_CA).getMessage())
                .isEqualTo("the device presented 2 certificates; at most 1 (the device certificate and its"
                        + " intermediates) are accepted");
        // DER input is counted before it is parsed: 5 entries of garbage are too many, not malformed.
        byte[] garbage = "garbage".getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(() -> hub.validateDer(List.of(garbage, garbage, garbage, garbage, garbage)),
                RefusalReason.UNTRUSTED_CA).getMessage()).startsWith("the device presented 5 certificates; at most 3");
    }

    @Test
    void signup1_aLeafWithCaTrueIsNotADeviceCertificate() {
        DeviceCredentials device = acme.device("IMEI:" + IMEI).caTrue().mint();

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE).getMessage())
                .contains("CA:true");
    }

    @Test
    void signup1_theManufacturerCaItselfIsNotADeviceCertificate() {
        refusal(() -> hub.validate(List.of(acme.rootCertificate())), RefusalReason.NOT_A_DEVICE_CERTIFICATE);
    }

    @Test
    void signup1_keyUsageAndExtendedKeyUsageOutsideTheProfileAreRefused() {
        DeviceCredentials signatureOnly = acme.device("IMEI:" + IMEI).keyUsage(KeyUsage.digitalSignature).mint();
        DeviceCredentials noKeyUsage = acme.device("IMEI:" + IMEI).keyUsage(0).mint();
        DeviceCredentials certSign = acme.device("IMEI:" + IMEI)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement | KeyUsage.keyCertSign).mint();
        DeviceCredentials serverOnly = acme.device("IMEI:" + IMEI)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).mint();
        DeviceCredentials rsaWithoutEncipherment = acme.device("IMEI:" + IMEI).rsa(2048)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).mint();
        DeviceCredentials noExtendedKeyUsage = acme.device("IMEI:" + IMEI).extendedKeyUsage().mint();

        assertThat(refusal(() -> hub.validate(signatureOnly.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE)
                .getMessage()).contains("keyAgreement", "encrypt");
        assertThat(refusal(() -> hub.validate(noKeyUsage.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE)
                .getMessage()).contains("digital signatures");
        refusal(() -> hub.validate(certSign.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE);
        assertThat(refusal(() -> hub.validate(serverOnly.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE)
                .getMessage()).contains("client authentication");
        assertThat(refusal(() -> hub.validate(rsaWithoutEncipherment.chain()), RefusalReason.NOT_A_DEVICE_CERTIFICATE)
                .getMessage()).contains("keyEncipherment");
        assertThat(hub.validate(noExtendedKeyUsage.chain()).value()).isEqualTo(IMEI);
    }

    @Test
    void signup1_weakRsaAndKeysOfTypesNotAcceptedAreRefusedAsBadKeys() {
        DeviceCredentials weak = acme.device("IMEI:" + IMEI).rsa(1024).mint();
        DeviceCredentials p521 = acme.device("IMEI:" + IMEI).ec("secp521r1").mint();
        DeviceCredentials p384 = acme.device("IMEI:" + IMEI).ec("secp384r1").mint();
        Map<String, String> p256Only = trusting(acme, true);
        p256Only.put("hub.device-identity.accepted-key-types", "EC_P256");

        assertThat(refusal(() -> hub.validate(weak.chain()), RefusalReason.BAD_KEY).getMessage())
                .isEqualTo("the device certificate has a 1024-bit RSA key; RSA keys need at least 2048 bits");
        assertThat(refusal(() -> hub.validate(p521.chain()), RefusalReason.BAD_KEY).getMessage())
                .contains("P-521");
        assertThat(refusal(() -> validator(p256Only).validate(p384.chain()), RefusalReason.BAD_KEY).getMessage())
                .contains("P-384", "EC_P256");
    }

    @Test
    void signup1_aCertificateWithoutAnIdentityIsRefused() {
        DeviceCredentials none = acme.device(null).mint();
        DeviceCredentials unknownForm = acme.device("MAC:00-11-22-33-44-55").mint();
        DeviceCredentials shortImei = acme.device("IMEI:35209900176148").mint();

        assertThat(refusal(() -> hub.validate(none.chain()), RefusalReason.NO_IDENTITY).getMessage())
                .contains("no device identity");
        refusal(() -> hub.validate(unknownForm.chain()), RefusalReason.NO_IDENTITY);
        refusal(() -> hub.validate(shortImei.chain()), RefusalReason.NO_IDENTITY);
    }

    @Test
    void signup1_anImeiWithAWrongLuhnCheckDigitIsRefused() {
        DeviceCredentials device = acme.device("IMEI:352099001761482").mint();

        assertThat(refusal(() -> hub.validate(device.chain()), RefusalReason.NO_IDENTITY).getMessage())
                .isEqualTo("the device certificate's IMEI has a wrong check digit (3GPP TS 23.003 Luhn check)");
    }

    @Test
    void signup1_unreadableInputIsMalformed() {
        refusal(() -> hub.validate(List.of()), RefusalReason.MALFORMED);
        refusal(() -> hub.validate(java.util.Arrays.asList(acme.mintImei(IMEI).certificate(), null)),
                RefusalReason.MALFORMED);
        refusal(() -> hub.validatePem("no certificate here"), RefusalReason.MALFORMED);
        refusal(() -> hub.validatePem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                RefusalReason.MALFORMED);
        assertThat(refusal(() -> hub.validateDer(List.of("garbage".getBytes(StandardCharsets.US_ASCII))),
                RefusalReason.MALFORMED).getMessage()).isEqualTo("the device certificate is not a DER X.509 certificate");
    }

    @Test
    void signup1_withoutAnyManufacturerConfiguredEveryDeviceIsUntrusted() {
        DeviceCertificates nobody = validator(Map.of());

        assertThat(refusal(() -> nobody.validate(acme.mintImei(IMEI).chain()), RefusalReason.UNTRUSTED_CA)
                .getMessage()).contains("trusts no manufacturer CA");
    }

    @Test
    void signup1_severalManufacturersEachNamedInTheIdentity() {
        Map<String, String> both = trusting(acme, false);
        both.put("hub.device-identity.manufacturers[1].name", "Other");
        both.put("hub.device-identity.manufacturers[1].ca-pem", Pem.write(other.rootCertificate()));
        DeviceCertificates twoManufacturers = validator(both);

        assertThat(twoManufacturers.validate(acme.mintImei(IMEI).chain()).manufacturerName()).isEqualTo("Acme");
        assertThat(twoManufacturers.validate(other.mintImei(IMEI).chain()).manufacturerName()).isEqualTo("Other");
    }
}
