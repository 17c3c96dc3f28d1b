package io.provisioninghub.connectors.hlr;

import java.util.Optional;

/**
 * Creating and retiring subscriptions in the HLR (issue 5, INT-1 "IMSI/MSISDN pools", SIGNUP-2/3/4): a new subscriber
 * gets an IMSI and an MSISDN from the pools and its MILENAGE credential in one JDBC transaction; a sign-up saga that
 * fails later gives them back (compensation); a device that changes owner has its credential revoked.
 * Every write is idempotent by a caller-given key, so a saga step retried after a lost answer does the work once.
 * Thread-safe. Identifiers and keys never appear in exceptions or logs.
 */
public interface HlrProvisioning {

    /** A subscription created in the HLR. K and OPc are secrets: {@link #toString()} hides them. */
    record ProvisionedSubscriber(String key, String imsi, String msisdn, String k, String opc) {
        @Override
        public String toString() {
            return "ProvisionedSubscriber[key=" + key + ", imsi/msisdn/k/opc redacted]";
        }
    }

    /**
     * Takes the next free IMSI and MSISDN of the pools and creates the subscriber with its auc_3g row (MILENAGE, the
     * given K and OPc), all in one transaction. Calling it again with the same key returns the same subscriber (the
     * K and OPc given the first time), never a second one.
     *
     * @param key  the caller's idempotency key (e.g. the sign-up's id), 1–64 of [A-Za-z0-9._-]
     * @param kHex 32 hex digits, from a CSPRNG
     * @param opcHex OPc for that K and the operator's OP (32 hex digits)
     * @throws PoolExhaustedException    when a pool has no free number left
     * @throws HlrUnavailableException   when the HLR database cannot be reached
     */
    ProvisionedSubscriber allocate(String key, String kHex, String opcHex);

    /** The subscriber allocated under this key, if any (a saga recovering after a lost answer). */
    Optional<ProvisionedSubscriber> findByKey(String key);

    /**
     * Compensation: deletes the subscriber allocated under this key (subscriber, auc_3g) and returns its IMSI and MSISDN
     * to the pools, in one transaction. Idempotent: an unknown or already released key is not an error.
     *
     * @return true when something was released by this call
     */
    boolean release(String key);

    /**
     * Change of owner or operator (SIGNUP-4): the subscriber's credential stops working at once (its auc_3g row is
     * removed, the subscriber barred from every service), its numbers stay allocated until {@link #release(String)}.
     *
     * @return false when the HLR does not know the IMSI
     */
    boolean revokeCredential(String imsi);

    /** A pool (IMSI or MSISDN) has no free number left. */
    class PoolExhaustedException extends RuntimeException {
        public PoolExhaustedException(String pool) {
            super("the " + pool + " pool is exhausted", null, false, false);
        }
    }
}
