package io.provisioninghub.routes.audit;

import io.provisioninghub.routes.common.HubSecretKey;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The seals of the audit trail's hash chain: HMAC-SHA-256 under a key derived from the hub's secret
 * ({@link HubSecretKey}, purpose {@code audit-chain/hmac-sha256/v1}), so that someone who can write the database but
 * does not hold the secret cannot re-seal an edited chain. A row's seal covers the previous row's seal and every field
 * of the row, each length-prefixed (no two different rows encode alike).
 */
@Component
class AuditChain {

    static final int HASH_LENGTH = 32;
    /** The "previous hash" of the first row ever written. */
    static final byte[] GENESIS = new byte[HASH_LENGTH];

    private final SecretKeySpec key;

    AuditChain(HubSecretKey secret) {
        this.key = new SecretKeySpec(secret.derive("audit-chain/hmac-sha256/v1"), "HmacSHA256");
    }

    /** PostgreSQL keeps microseconds: a row's time is cut to them before it is sealed and stored. */
    static Instant storable(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    byte[] seal(AuditEvent event, byte[] previousHash) {
        Mac mac = mac();
        mac.update(previousHash);
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, event.at());
        for (String field : new String[] {Long.toString(event.id()), Long.toString(micros), event.subject(),
                event.clientId(), String.join(",", event.roles()), event.action(), event.target(), event.parameters(),
                Integer.toString(event.status()), event.reason(), event.traceId()}) {
            update(mac, field);
        }
        return mac.doFinal();
    }

    /** The seal of the anchor the retention purge leaves: where the kept part of the chain starts. */
    byte[] sealAnchor(long anchorId, byte[] anchorHash) {
        Mac mac = mac();
        mac.update("anchor".getBytes(StandardCharsets.US_ASCII));
        mac.update(ByteBuffer.allocate(Long.BYTES).putLong(anchorId).array());
        mac.update(anchorHash);
        return mac.doFinal();
    }

    private static void update(Mac mac, String field) {
        if (field == null) {
            mac.update((byte) 0);
            return;
        }
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        mac.update((byte) 1);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        mac.update(bytes);
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }
}
