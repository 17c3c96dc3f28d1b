package io.provisioninghub.connectors.deviceidentity;

/**
 * Why a device certificate (or a signed challenge) was refused (SIGNUP-1): machine-readable, stable names that
 * callers map to HTTP answers and metrics. {@link #MALFORMED} is the client's fault in form (400); the others
 * are refusals of a well-formed credential (401/403).
 */
public enum RefusalReason {
    /** Not parseable: not PEM/DER, an empty chain, a broken JWS, a payload without nonce or timestamp. */
    MALFORMED,
    /** A certificate of the chain is past its notAfter (beyond the allowed clock skew). */
    EXPIRED,
    /** A certificate of the chain is before its notBefore (beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** The device certificate signs itself: no manufacturer vouches for it. */
    SELF_SIGNED,
    /** The chain does not lead to a configured manufacturer CA (unknown issuer, broken or too long chain). */
    UNTRUSTED_CA,
    /** The device certificate or an intermediate is on its issuer's CRL. */
    REVOKED,
    /** Revocation checking is required and no current CRL covers a certificate of the chain. */
    REVOCATION_UNKNOWN,
    /** The device key is of a type or size the hub does not accept (e.g. RSA below the minimum, another curve). */
    BAD_KEY,
    /** The certificate is not a device certificate: a CA certificate, or key usage / extended key usage that
     *  does not fit the device profile. */
    NOT_A_DEVICE_CERTIFICATE,
    /** The certificate carries no device identity in the profile's place (or an IMEI with a wrong check digit). */
    NO_IDENTITY,
    /** A signed challenge whose signature does not verify with the certificate's key (or an algorithm the hub
     *  does not accept). */
    BAD_SIGNATURE,
    /** A signed challenge whose timestamp is too old or in the future. */
    STALE_CHALLENGE
}
