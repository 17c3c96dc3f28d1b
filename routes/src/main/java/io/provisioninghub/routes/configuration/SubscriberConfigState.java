package io.provisioninghub.routes.configuration;

/**
 * What a subscriber was last sent (table subscriber_config).
 *
 * @param lastVersion     the highest VERS version sent in a full document; 0 when never configured
 * @param resendRequested customer care's resend mark (RCC.14 §2.2.4 case 3)
 */
record SubscriberConfigState(long lastVersion, boolean resendRequested) {

    static final SubscriberConfigState NEVER_CONFIGURED = new SubscriberConfigState(0, false);
}
