package io.provisioninghub.connectors.hlr;

import java.util.Optional;

/** Read access to the operator's HLR (requirement INT-1). Implementations are thread-safe. */
public interface HlrClient {

    /** @throws HlrUnavailableException when the HLR database cannot be reached or answers with an error */
    Optional<HlrSubscriber> findByImsi(String imsi);

    /**
     * @param msisdn E.164 with a leading '+'
     * @throws HlrUnavailableException when the HLR database cannot be reached or answers with an error
     */
    Optional<HlrSubscriber> findByMsisdn(String msisdn);
}
