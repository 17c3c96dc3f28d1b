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
}
