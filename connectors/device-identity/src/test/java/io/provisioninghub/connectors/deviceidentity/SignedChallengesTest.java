package io.provisioninghub.connectors.deviceidentity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.SandboxDevice;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.provisioninghub.connectors.deviceidentity.TrustFixture.refusal;
import static io.provisioninghub.connectors.deviceidentity.TrustFixture.trusting;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGNUP-1, the non-mTLS way to authenticate: a compact JWS over the hub's nonce and a timestamp, with the
 * device's chain in x5c, signed with the device key. Real keys and certificates from the {@link TestManufacturerCa}.
 */
class SignedChallengesTest {

    static final String IMEI = DeviceCertificatesTest.IMEI;
    static final String NONCE = "n-7f3a9c1e2b";

    @TempDir
    static Path data;

    static TestManufacturerCa acme;
    static TestManufacturerCa other;
    static ManufacturerTrust trust;
    static SignedChallenges hub;

    @BeforeAll
    static void manufacturers() {
        acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        other = TestManufacturerCa.loadOrCreate(data.resolve("other"), "Other Devices");
        DeviceIdentityProperties properties = TrustFixture.bind(trusting(acme, true));
        trust = ManufacturerTrust.load(properties, Clock.systemUTC());
        hub = new SignedChallenges(new DeviceCertificates(trust, properties, Clock.systemUTC()), properties,
                Clock.systemUTC());
    }

    @Test
    void signup1_aChallengeSignedByAGenuineDeviceGivesItsIdentityAndThePayload() {
        SandboxDevice device = new SandboxDevice(acme.mintImei(IMEI));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("nonce", NONCE);
        payload.put("iat", Instant.now().getEpochSecond());
        payload.put("firmware", "1.4.2");

        VerifiedChallenge verified = hub.verify(device.sign(JWSAlgorithm.ES256, payload));

        assertThat(verified.device().value()).isEqualTo(IMEI);
        assertThat(verified.device().fingerprint()).isEqualTo(device.credentials().fingerprint());
        assertThat(verified.nonce()).isEqualTo(NONCE);
        assertThat(verified.issuedAt()).isEqualTo(Instant.ofEpochSecond((Long) payload.get("iat")));
        assertThat(verified.payload()).containsEntry("firmware", "1.4.2");
        assertThat(verified.toString()).doesNotContain(NONCE, IMEI);
    }

    @Test
    void signup1_everyAcceptedAlgorithmVerifies() {
        SandboxDevice p384 = new SandboxDevice(acme.device("IMEI:" + IMEI).ec("secp384r1").mint());
        SandboxDevice rsa = new SandboxDevice(acme.device("IMEI:" + IMEI).rsa(2048).mint());
        Map<String, Object> payload = Map.of("nonce", NONCE, "iat", Instant.now().getEpochSecond());

        assertThat(p384.algorithm()).isEqualTo(JWSAlgorithm.ES384);
        assertThat(hub.verify(p384.signChallenge(NONCE)).nonce()).isEqualTo(NONCE);
        assertThat(rsa.algorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(hub.verify(rsa.signChallenge(NONCE)).nonce()).isEqualTo(NONCE);
        assertThat(hub.verify(rsa.sign(JWSAlgorithm.RS256, payload)).nonce()).isEqualTo(NONCE);
    }

    @Test
    void signup1_aChallengeSignedWithAnotherKeyThanTheCertificatesIsRefused() {
        DeviceCredentials genuine = acme.mintImei(IMEI);
        DeviceCredentials thief = acme.mintImei(Imei.withCheckDigit("35209900176149"));
        SandboxDevice impostor = new SandboxDevice(
                new DeviceCredentials(genuine.certificate(), genuine.chain(), thief.privateKey()));

        assertThat(refusal(() -> hub.verify(impostor.signChallenge(NONCE)), RefusalReason.BAD_SIGNATURE).getMessage())
                .isEqualTo("the challenge's signature does not verify with the device certificate's key");
    }

    @Test
    void signup1_aTamperedChallengeIsRefused() {
        String signed = new SandboxDevice(acme.mintImei(IMEI)).signChallenge(NONCE);
        String[] parts = signed.split("\\.");
        String otherNonce = Base64URL.encode(("{\"nonce\":\"n-stolen\",\"iat\":" + Instant.now().getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8)).toString();

        refusal(() -> hub.verify(parts[0] + "." + otherNonce + "." + parts[2]), RefusalReason.BAD_SIGNATURE);
    }

    @Test
    void signup1_aChallengeFromAnUntrustedSelfSignedRevokedOrExpiredCertificateIsRefused() {
        DeviceCredentials revoked = acme.mintImei(IMEI);
        acme.revoke(revoked.certificate());

        refusal(() -> hub.verify(new SandboxDevice(other.mintImei(IMEI)).signChallenge(NONCE)),
                RefusalReason.UNTRUSTED_CA);
        refusal(() -> hub.verify(new SandboxDevice(acme.device("IMEI:" + IMEI).selfSigned().mint())
                .signChallenge(NONCE)), RefusalReason.SELF_SIGNED);
        refusal(() -> hub.verify(new SandboxDevice(acme.device("IMEI:" + IMEI).expired().mint())
                .signChallenge(NONCE)), RefusalReason.EXPIRED);
        // The CRL refresh interval (1 minute) may not have passed since start: reload as it would after it.
        trust.reloadCrls();
        refusal(() -> hub.verify(new SandboxDevice(revoked).signChallenge(NONCE)), RefusalReason.REVOKED);
    }

    @Test
    void signup1_anOldOrFutureDatedChallengeIsRefused() {
        SandboxDevice device = new SandboxDevice(acme.mintImei(IMEI));

        assertThat(refusal(() -> hub.verify(device.signChallenge(NONCE, Instant.now().minus(Duration.ofMinutes(6)))),
                RefusalReason.STALE_CHALLENGE).getMessage()).contains("more than 300 s ago");
        assertThat(refusal(() -> hub.verify(device.signChallenge(NONCE, Instant.now().plus(Duration.ofMinutes(6)))),
                RefusalReason.STALE_CHALLENGE).getMessage()).contains("in the future");
        assertThat(hub.verify(device.signChallenge(NONCE, Instant.now().minus(Duration.ofMinutes(4)))).nonce())
                .isEqualTo(NONCE);
    }

    @Test
    void signup1_challengesWithoutChainNonceOrTimestampOrInAnotherFormAreMalformed() throws Exception {
        SandboxDevice device = new SandboxDevice(acme.mintImei(IMEI));
        JWSObject withoutChain = new JWSObject(new JWSHeader(JWSAlgorithm.ES256),
                new Payload(Map.of("nonce", NONCE, "iat", Instant.now().getEpochSecond())));
        withoutChain.sign(new com.nimbusds.jose.crypto.ECDSASigner(
                (java.security.interfaces.ECPrivateKey) device.credentials().privateKey()));

        assertThat(refusal(() -> hub.verify(withoutChain.serialize()), RefusalReason.MALFORMED).getMessage())
                .contains("x5c");
        assertThat(refusal(() -> hub.verify(device.sign(JWSAlgorithm.ES256, Map.of("iat",
                Instant.now().getEpochSecond()))), RefusalReason.MALFORMED).getMessage()).contains("nonce");
        assertThat(refusal(() -> hub.verify(device.sign(JWSAlgorithm.ES256, Map.of("nonce", NONCE))),
                RefusalReason.MALFORMED).getMessage()).contains("iat");
        refusal(() -> hub.verify(device.sign(JWSAlgorithm.ES256, Map.of("nonce", "x".repeat(513),
                "iat", Instant.now().getEpochSecond()))), RefusalReason.MALFORMED);
        refusal(() -> hub.verify("not a jws"), RefusalReason.MALFORMED);
        refusal(() -> hub.verify(null), RefusalReason.MALFORMED);
        // alg "none": an unsecured JWS is no signature at all.
        refusal(() -> hub.verify("eyJhbGciOiJub25lIn0." + Base64URL.encode("{\"nonce\":\"n\",\"iat\":1}") + "."),
                RefusalReason.MALFORMED);
    }

    @Test
    void signup1_aSymmetricAlgorithmIsRefusedWhateverTheChain() throws Exception {
        SandboxDevice device = new SandboxDevice(acme.mintImei(IMEI));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        JWSObject hmac = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).x509CertChain(device.x5c()).build(),
                new Payload(Map.of("nonce", NONCE, "iat", Instant.now().getEpochSecond())));
        hmac.sign(new MACSigner(secret));

        assertThat(refusal(() -> hub.verify(hmac.serialize()), RefusalReason.BAD_SIGNATURE).getMessage())
                .contains("HS256");
    }
}
