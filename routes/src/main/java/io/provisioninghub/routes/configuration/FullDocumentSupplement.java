package io.provisioninghub.routes.configuration;

import io.provisioninghub.schemas.provisioningdoc.Characteristic;

import java.util.List;

/**
 * Characteristics another capability adds to a subscriber's full configuration document, after the services: e.g.
 * the credential rotation's CREDENTIAL-ROTATION with its single-use nonce (issue 4, ROT-2). Asked only when a full
 * document is served (a triggered subscriber always gets one, RECONF-2), never for a version-only answer.
 */
public interface FullDocumentSupplement {

    /**
     * @param imsi the subscriber the document is for
     * @param host the Host the device addressed (for URLs pointing back at the hub)
     * @return the characteristics to add, usually none
     */
    List<Characteristic> supplement(String imsi, String host);

    /**
     * When this supplement can have something for a subscriber, as an SQL boolean expression over the subscriber's
     * IMSI (the column named by {@code imsiColumn}). The hot path evaluates it in the query that already reads the
     * subscriber's session and state ({@link ConfigurationSessions#find}), so a subscriber with nothing due costs no
     * round trip of its own; {@link #supplement} is then not asked. The default, {@code TRUE}, always asks.
     */
    default String dueWhen(String imsiColumn) {
        return "TRUE";
    }
}
