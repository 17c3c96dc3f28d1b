package io.provisioninghub.routes.common;

/**
 * A system the hub depends on did not take the work (the SMS outbox's broker, say): nothing was accepted, and an HTTP
 * caller is answered 503 with Retry-After ({@link HttpErrorHandling}). The connectors' own exceptions
 * (HlrUnavailableException, BillingUnavailableException) mean the same; this is the one for the hub's own packages, so
 * that {@code common} names no feature.
 */
public abstract class BackEndUnavailableException extends RuntimeException {

    protected BackEndUnavailableException(String message, Throwable cause) {
        super(message, cause, true, false);
    }
}
