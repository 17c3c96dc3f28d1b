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

    /**
     * A subscription created in the HLR. K and OPc are secrets: {@link #toString()} hides them.
     *
     * @param imsi   15 digits
     * @param msisdn E.164 with a leading '+' (as {@link HlrSubscriber#msisdn()}; the HLR stores it without)
     * @param k      32 hex digits; null once the credential was revoked ({@link #revokeCredential(String)})
     * @param opc    32 hex digits; null once the credential was revoked
     */
    record ProvisionedSubscriber(String key, String imsi, String msisdn, String k, String opc) {
        @Override
        public String toString() {
            return "ProvisionedSubscriber[key=" + key + ", imsi/msisdn/k/opc redacted]";
        }
    }

    /**
     * Takes the next free IMSI and MSISDN of the pools and creates the subscriber with its auc_3g row (MILENAGE, the
     * given K and OPc), all in one transaction. Calling it again with the same key returns the same subscriber (the
     * K and OPc given the first time), never a second one; concurrent calls with the same key wait for each other.
     * A key that was {@linkplain #release(String) released} is spent: allocating under it again throws
     * {@link AllocationReleasedException}, so an allocation that lands after its own compensation leaves no orphan.
     * Numbers come from the free part of the pools, those that have been available longest first; a released number
     * is not handed out again before its quarantine ({@code hub.hlr.pools.quarantine}) ends.
     *
     * @param key  the caller's idempotency key (e.g. the sign-up's id), 1–64 of [A-Za-z0-9._-]
     * @param kHex 32 hex digits, from a CSPRNG (stored and returned in lower case, as OsmoHLR writes hex)
     * @param opcHex OPc for that K and the operator's OP (32 hex digits)
     * @throws PoolExhaustedException    when a pool has no free number left (nothing is kept: no key row, no number)
     * @throws AllocationReleasedException when the key was released before
     * @throws IllegalArgumentException  when the key, K or OPc is malformed (the message quotes none of them)
     * @throws HlrUnavailableException   when the HLR database cannot be reached
     */
    ProvisionedSubscriber allocate(String key, String kHex, String opcHex);

    /**
     * The subscriber allocated under this key, if any (a saga recovering after a lost answer); empty for an unknown,
     * malformed or released key.
     *
     * @throws HlrUnavailableException when the HLR database cannot be reached
     */
    Optional<ProvisionedSubscriber> findByKey(String key);

    /**
     * Compensation: deletes the subscriber allocated under this key (subscriber, auc_3g) and returns its IMSI and MSISDN
     * to the pools, in one transaction. Idempotent: an unknown or already released key is not an error.
     * The numbers go to quarantine, not straight back to the free pool. An unknown key is recorded as released, so a
     * late {@link #allocate} under it (one that was still in flight when the saga gave up) does nothing.
     *
     * @return true when something was released by this call
     */
    boolean release(String key);

    /**
     * Change of owner or operator (SIGNUP-4): the subscriber's credential stops working at once (its auc_3g row is
     * removed, the subscriber barred from every service), its numbers stay allocated until {@link #release(String)}.
     *
     * Also removes an auc_2g row if there is one. Idempotent.
     *
     * @return false when the HLR does not know the IMSI (or it is not 6–15 digits)
     */
    boolean revokeCredential(String imsi);

    /**
     * How many numbers each pool has free, allocated and in quarantine (runbook, capacity alerts). One scan of each
     * pool table. A default method so that wrappers of this interface (fault injection in tests) need not implement it.
     */
    default PoolStatus poolStatus() {
        throw new UnsupportedOperationException("pool status is not offered by " + getClass().getSimpleName());
    }

    /** Both pools' counts. */
    record PoolStatus(PoolCounts imsi, PoolCounts msisdn) {
    }

    /**
     * One pool's counts.
     *
     * @param free        can be handed out now (including numbers whose quarantine has ended)
     * @param allocated   held by a subscriber
     * @param quarantined released, not to be handed out yet
     */
    record PoolCounts(long free, long allocated, long quarantined) {
    }

    /** The key was released before: it must not allocate again (the saga that owned it has been compensated). */
    class AllocationReleasedException extends IllegalStateException {
        public AllocationReleasedException() {
            super("the allocation under this key was released; a new allocation needs a new key");
        }
    }

    /** A pool (IMSI or MSISDN) has no free number left. */
    class PoolExhaustedException extends RuntimeException {
        public PoolExhaustedException(String pool) {
            super("the " + pool + " pool is exhausted", null, false, false);
        }
    }
}
