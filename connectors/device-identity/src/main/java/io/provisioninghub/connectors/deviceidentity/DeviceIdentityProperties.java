package io.provisioninghub.connectors.deviceidentity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code hub.device-identity.*}: which manufacturers' device certificates the hub trusts, and how strictly it
 * checks them (SIGNUP-1). See docs/device-identity.md.
 *
 * @param manufacturers       the trusted manufacturer CAs (one entry per manufacturer). None: every device
 *                            certificate is refused as {@link RefusalReason#UNTRUSTED_CA} (the hub warns at start)
 * @param revocationRequired  true: a chain is accepted only when a current CRL (its nextUpdate not passed) from
 *                            each certificate's issuer is configured, so that every certificate of the path has a
 *                            known revocation status. False (default): configured CRLs are checked, and a
 *                            certificate whose issuer has no CRL is accepted
 * @param crlRefreshInterval  how often, at most, the CRL files are checked for a change (modification time and
 *                            size) and re-read; the check happens on the next validation after the interval.
 *                            0 checks on every validation
 * @param clockSkew           how far device and CA clocks may be off: a certificate is accepted up to this long
 *                            before its notBefore and after its notAfter; also the tolerance of a signed
 *                            challenge's timestamp in the future
 * @param maxChainLength      most certificates a device may present: the device certificate and its
 *                            intermediates (a trailing copy of the root is not counted)
 * @param acceptedKeyTypes    device key types accepted: EC_P256, EC_P384, RSA
 * @param rsaMinBits          smallest RSA modulus accepted for a device key (2048 at least)
 * @param challengeMaxAge     how old a signed challenge's timestamp ({@code iat}) may be
 * @param sandboxCaDirectory  development only: trust the sandbox's test manufacturer CA kept in this directory
 *                            (created there on first start). Unset (default) in every real deployment
 */
@Validated
@ConfigurationProperties(prefix = "hub.device-identity")
public record DeviceIdentityProperties(@DefaultValue @NotNull @Valid List<Manufacturer> manufacturers,
                                       @DefaultValue("false") boolean revocationRequired,
                                       @DefaultValue("1m") @NotNull @DurationMin(millis = 0) @DurationMax(days = 1)
                                       Duration crlRefreshInterval,
                                       @DefaultValue("5m") @NotNull @DurationMin(millis = 0) @DurationMax(days = 1)
                                       Duration clockSkew,
                                       @DefaultValue("3") @Min(1) @Max(10) int maxChainLength,
                                       @DefaultValue({"EC_P256", "EC_P384", "RSA"}) @NotEmpty
                                       Set<KeyType> acceptedKeyTypes,
                                       @DefaultValue("2048") @Min(2048) @Max(16384) int rsaMinBits,
                                       @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1)
                                       Duration challengeMaxAge,
                                       Path sandboxCaDirectory) {

    /** Device key types the hub can check signatures with and encrypt profiles to. */
    public enum KeyType {
        /** ECDSA / ECDH on NIST P-256 (secp256r1): ES256, ECDH-ES. */
        EC_P256,
        /** ECDSA / ECDH on NIST P-384 (secp384r1): ES384, ECDH-ES. */
        EC_P384,
        /** RSA of at least {@code rsa-min-bits}: PS256/RS256, RSA-OAEP-256. */
        RSA
    }

    /**
     * One trusted manufacturer.
     *
     * @param name     how the hub names this manufacturer (logs, {@link DeviceIdentity#manufacturerName()});
     *                 defaults to the CA's subject
     * @param caFiles  PEM files holding the manufacturer's CA certificates (roots, or an intermediate the
     *                 manufacturer wants trusted directly); every certificate in them is a trust anchor
     * @param caPem    the same as inline PEM text (e.g. from a Kubernetes Secret in an environment variable)
     * @param crlFiles CRL files (PEM or DER) of this manufacturer's CAs: the root's CRL (revoked intermediates)
     *                 and each intermediate's (revoked devices). Re-read when they change
     */
    public record Manufacturer(String name,
                               @DefaultValue @NotNull List<Path> caFiles,
                               String caPem,
                               @DefaultValue @NotNull List<Path> crlFiles) {

        @AssertTrue(message = "a manufacturer needs ca-files or ca-pem")
        boolean isAnyCaConfigured() {
            return !caFiles.isEmpty() || (caPem != null && !caPem.isBlank());
        }
    }
}
