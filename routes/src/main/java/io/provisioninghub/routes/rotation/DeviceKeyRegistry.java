package io.provisioninghub.routes.rotation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device key registry (issue 4, ROT-2): which public key a device signs its credential proposals with, by
 * IMSI and IMEI. Filled through the operator API. Only public keys of strong types are accepted: EC P-256/P-384/
 * P-521 and RSA of 2,048 bits or more (JWS ES256/384/512, PS256/384/512, RS256/384/512). Ed25519 is not offered: its
 * verification in Nimbus JOSE needs Google Tink, one more crypto library for one more key type. Keys are referred to
 * by their RFC 7638 thumbprint.
 */
@Service
public class DeviceKeyRegistry {

    private static final Set<Curve> EC_CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);

    private final JdbcTemplate jdbc;

    DeviceKeyRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A key the registry refuses, with the reason for the operator. */
    public static class RefusedKey extends Exception {
        RefusedKey(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A key on record. */
    public record DeviceKey(String imsi, String imei, String thumbprint, String keyType, Map<String, Object> publicJwk) {
    }

    /**
     * Records (or replaces) the key of a device.
     *
     * @param imei 15 digits, or null/empty to bind the key to the subscription
     * @return the key's thumbprint
     */
    public String put(String imsi, String imei, String jwkJson) throws RefusedKey {
        JWK jwk = parse(jwkJson);
        String thumbprint;
        try {
            thumbprint = jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new RefusedKey("cannot compute the key's thumbprint");
        }
        jdbc.update("INSERT INTO device_key (imsi, imei, public_jwk, thumbprint) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (imsi, imei) DO UPDATE SET public_jwk = EXCLUDED.public_jwk, "
                        + "thumbprint = EXCLUDED.thumbprint, updated_at = now()",
                imsi, imei == null ? "" : imei, jwk.toJSONString(), thumbprint);
        return thumbprint;
    }

    public List<DeviceKey> keysOf(String imsi) {
        return jdbc.query("SELECT imsi, imei, thumbprint, public_jwk FROM device_key WHERE imsi = ? ORDER BY imei",
                (rs, i) -> {
                    try {
                        JWK jwk = JWK.parse(rs.getString(4));
                        return new DeviceKey(rs.getString(1), rs.getString(2), rs.getString(3),
                                jwk.getKeyType().getValue(), jwk.toJSONObject());
                    } catch (ParseException e) {
                        throw new IllegalStateException("a stored device key does not parse", e);
                    }
                }, imsi);
    }

    /**
     * The key a device signs with: the one bound to its IMEI, else the one bound to the subscription alone.
     *
     * @param imei 15 digits, or null when the device did not name itself
     */
    Optional<KeyOnRecord> keyFor(String imsi, String imei) {
        List<KeyOnRecord> keys = jdbc.query("SELECT imei, public_jwk, thumbprint FROM device_key WHERE imsi = ? AND imei IN (?, '') "
                        + "ORDER BY imei DESC", (rs, i) -> {
                    try {
                        return new KeyOnRecord(rs.getString(1), JWK.parse(rs.getString(2)), rs.getString(3));
                    } catch (ParseException e) {
                        throw new IllegalStateException("a stored device key does not parse", e);
                    }
                }, imsi, imei == null ? "" : imei);
        return keys.stream().findFirst();
    }

    /** A key on record as the proposal check needs it. */
    record KeyOnRecord(String imei, JWK jwk, String thumbprint) {
    }

    /** Records a key unless the device already has one (the sandbox's fixture keys: an operator's change stays). */
    boolean putIfAbsent(String imsi, String imei, String jwkJson) throws RefusedKey {
        JWK jwk = parse(jwkJson);
        try {
            return jdbc.update("INSERT INTO device_key (imsi, imei, public_jwk, thumbprint) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (imsi, imei) DO NOTHING", imsi, imei == null ? "" : imei, jwk.toJSONString(),
                    jwk.computeThumbprint().toString()) > 0;
        } catch (JOSEException e) {
            throw new RefusedKey("cannot compute the key's thumbprint");
        }
    }

    /** @return how many keys were removed */
    public int remove(String imsi, String imei) {
        return jdbc.update("DELETE FROM device_key WHERE imsi = ? AND imei = ?", imsi, imei == null ? "" : imei);
    }

    private static JWK parse(String jwkJson) throws RefusedKey {
        JWK jwk;
        try {
            jwk = JWK.parse(jwkJson);
        } catch (ParseException e) {
            throw new RefusedKey("not a JWK (RFC 7517)");
        }
        if (jwk.isPrivate()) {
            // A private key must never leave the device; refusing it keeps it out of the database too.
            throw new RefusedKey("the JWK carries private key material: send the public key only");
        }
        if (jwk instanceof ECKey ec && !EC_CURVES.contains(ec.getCurve())) {
            throw new RefusedKey("EC keys must use P-256, P-384 or P-521");
        }
        if (jwk instanceof RSAKey rsa && rsa.size() < 2048) {
            throw new RefusedKey("RSA keys must have at least 2048 bits");
        }
        if (!(jwk instanceof ECKey || jwk instanceof RSAKey)) {
            throw new RefusedKey("only EC (P-256, P-384, P-521) and RSA public keys are accepted");
        }
        return jwk;
    }
}
