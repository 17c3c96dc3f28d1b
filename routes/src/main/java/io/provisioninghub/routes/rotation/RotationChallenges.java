package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.common.Secrets;
import io.provisioninghub.routes.configuration.FullDocumentSupplement;
import io.provisioninghub.schemas.provisioningdoc.Characteristic;
import io.provisioninghub.schemas.provisioningdoc.Parm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Tells a device with a rotation in progress to rotate (ROT-2): its full configuration document carries a
 * CREDENTIAL-ROTATION characteristic with a fresh single-use nonce, where to send the proposal, and the operator's
 * public key to encrypt the new K to. Each full document replaces the nonce (only the newest one is accepted), and
 * only its SHA-256 is kept. Wire format: docs/flows/rotation.md.
 */
@Component
class RotationChallenges implements FullDocumentSupplement {

    static final String CHARACTERISTIC = "CREDENTIAL-ROTATION";
    static final String PROPOSAL_PATH = "/rotation/v1/proposals";
    private static final Logger LOG = LoggerFactory.getLogger(RotationChallenges.class);
    private static final int NONCE_BYTES = 32;

    private final RotationProperties properties;
    private final RotationKeys keys;
    private final JdbcTemplate jdbc;
    private final SecureRandom random = new SecureRandom();

    RotationChallenges(RotationProperties properties, RotationKeys keys, JdbcTemplate jdbc) {
        this.properties = properties;
        this.keys = keys;
        this.jdbc = jdbc;
    }

    @Override
    public List<Characteristic> supplement(String imsi, String host) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // One statement on the partial unique index of rotations in progress: no rotation, no row, no characteristic.
        Long id = jdbc.query("UPDATE rotation SET nonce_hash = ?, nonce_expires_at = now() + make_interval(secs => ?), "
                        + "updated_at = now() WHERE imsi = ? AND state = 'notified' RETURNING id",
                rs -> rs.next() ? rs.getLong(1) : null, nonceHash(nonce), properties.nonceValidity().toSeconds(), imsi);
        if (id == null) {
            return List.of();
        }
        LOG.info("Rotation {} of {}: nonce issued in the configuration document", id, Redaction.ref(imsi));
        Characteristic rotation = new Characteristic();
        rotation.setType(CHARACTERISTIC);
        rotation.getParmOrCharacteristic().addAll(List.of(
                parm("nonce", nonce),
                parm("url", proposalUrl(host)),
                parm("encryptionKey", keys.publicEncryptionKeyJson()),
                parm("validity", Long.toString(properties.nonceValidity().toSeconds()))));
        return List.of(rotation);
    }

    /**
     * Only a subscriber with a rotation waiting for its device has anything to add: an index probe (the partial
     * unique index rotation_in_progress) inside the session query, instead of this class's UPDATE for every full
     * document (it cost first configurations ~25 %, docs/benchmarks.md).
     */
    @Override
    public String dueWhen(String imsiColumn) {
        return "EXISTS (SELECT 1 FROM rotation r WHERE r.imsi = " + imsiColumn + " AND r.state = 'notified')";
    }

    static String nonceHash(String nonce) {
        return HexFormat.of().formatHex(Secrets.sha256(nonce));
    }

    private String proposalUrl(String host) {
        if (properties.proposalUrl() != null && !properties.proposalUrl().isBlank()) {
            return properties.proposalUrl();
        }
        return "https://" + (host == null || host.isBlank() ? "localhost" : host) + PROPOSAL_PATH;
    }

    private static Parm parm(String name, String value) {
        Parm p = new Parm();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
