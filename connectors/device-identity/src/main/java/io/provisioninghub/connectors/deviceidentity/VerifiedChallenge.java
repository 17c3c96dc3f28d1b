package io.provisioninghub.connectors.deviceidentity;

import java.time.Instant;
import java.util.Map;

/**
 * A signed challenge whose chain, signature and timestamp the hub verified (SIGNUP-1). The caller still has to
 * check that {@link #nonce()} is one it issued and has not been used before: this module keeps no state.
 *
 * @param device   the device that signed
 * @param nonce    the hub-issued challenge the device signed
 * @param issuedAt the device's timestamp ({@code iat})
 * @param payload  the whole JSON payload (nonce, iat and whatever else the device sent)
 */
public record VerifiedChallenge(DeviceIdentity device, String nonce, Instant issuedAt, Map<String, Object> payload) {

    public VerifiedChallenge {
        payload = Map.copyOf(payload);
    }

    // The nonce authenticates a session until the caller marks it used: keep it out of logs.
    @Override
    public String toString() {
        return "VerifiedChallenge[device=" + device + ", issuedAt=" + issuedAt + "]";
    }
}
