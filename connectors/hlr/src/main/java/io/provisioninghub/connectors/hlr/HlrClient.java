package io.provisioninghub.connectors.hlr;

import java.util.Optional;

/** Access to the operator's HLR (requirement INT-1): lookups, and the credential write of a rotation (ROT-2). Thread-safe. */
public interface HlrClient {

    /** @throws HlrUnavailableException when the HLR database cannot be reached or answers with an error */
    Optional<HlrSubscriber> findByImsi(String imsi);

    /**
     * @param msisdn E.164 with a leading '+'
     * @throws HlrUnavailableException when the HLR database cannot be reached or answers with an error
     */
    Optional<HlrSubscriber> findByMsisdn(String msisdn);

    /**
     * Replaces the subscriber's K and OPc in its auc_3g row, in one transaction (issue 4, ROT-2).
     *
     * @param k   the new subscriber key, 32 hex digits
     * @param opc the OPc derived from it and the operator's OP, 32 hex digits
     * @return false when the HLR does not know the IMSI (nothing written)
     * @throws HlrUnavailableException when the HLR database cannot be reached or refuses the write
     */
    boolean updateCredential(String imsi, String k, String opc);
}
