package io.provisioninghub.routes.sms;

import io.provisioninghub.routes.common.BackEndUnavailableException;

/** The outbox (Artemis) did not take the SMS: it was not accepted, and the caller answers 503. */
public class SmsOutboxUnavailableException extends BackEndUnavailableException {

    SmsOutboxUnavailableException(Throwable cause) {
        super("the SMS outbox is unavailable: " + cause.getClass().getSimpleName(), cause);
    }
}
