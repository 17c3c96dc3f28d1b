package io.provisioninghub.routes.support;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distinct EC P-256 public keys for bulk-binding tests and benchmarks, fast: a random start d·G, then one point
 * addition per key (d+1, d+2 … : tens of microseconds each, where a KeyPairGenerator takes about a millisecond on
 * these machines). Every key is a valid point on the curve and different from all others, which is all a bulk row
 * needs from a device that never connects; the private keys are never used (devices that do connect get theirs
 * from the sandbox CA). Not for anything but tests: consecutive private keys.
 */
public final class FastEcKeys {

    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");
    /** SubjectPublicKeyInfo DER up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING 04 … }. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");

    private ECPoint point;

    public FastEcKeys() {
        BigInteger d = new BigInteger(255, new SecureRandom()).add(BigInteger.TWO);
        this.point = P256.getG().multiply(d).normalize();
    }

    /** The next key. */
    public synchronized PublicKeyValue next() {
        point = point.add(P256.getG()).normalize();
        return new PublicKeyValue(point.getAffineXCoord().getEncoded(), point.getAffineYCoord().getEncoded());
    }

    /** An uncompressed P-256 public point (32-byte coordinates). */
    public record PublicKeyValue(byte[] x, byte[] y) {

        /** DER SubjectPublicKeyInfo. */
        public byte[] spki() {
            byte[] der = new byte[SPKI_PREFIX.length + 64];
            System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
            System.arraycopy(x, 0, der, SPKI_PREFIX.length, 32);
            System.arraycopy(y, 0, der, SPKI_PREFIX.length + 32, 32);
            return der;
        }

        /** Base64 (standard alphabet) of the DER SubjectPublicKeyInfo: the CSV form, and one of the JSON forms. */
        public String spkiBase64() {
            return Base64.getEncoder().encodeToString(spki());
        }

        /** The public JWK (RFC 7518 §6.2.1). */
        public Map<String, Object> jwk() {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(x));
            jwk.put("y", Base64.getUrlEncoder().withoutPadding().encodeToString(y));
            return jwk;
        }
    }
}
