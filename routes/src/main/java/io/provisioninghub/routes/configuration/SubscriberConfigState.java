package io.provisioninghub.routes.configuration;

/**
 * What a subscriber was last sent (table subscriber_config).
 *
 * @param lastVersion     the highest VERS version sent in a full document; 0 when never configured
 * @param resendRequested customer care's resend mark (RCC.14 §2.2.4 case 3)
 * @param supplementDue   whether a {@link FullDocumentSupplement} may add something to the subscriber's next full
 *                        document (e.g. a credential rotation waiting for its nonce); true when not known
 */
record SubscriberConfigState(long lastVersion, boolean resendRequested, boolean supplementDue) {

    static final SubscriberConfigState NEVER_CONFIGURED = new SubscriberConfigState(0, false, true);

    SubscriberConfigState(long lastVersion, boolean resendRequested) {
        this(lastVersion, resendRequested, true);
    }
}
