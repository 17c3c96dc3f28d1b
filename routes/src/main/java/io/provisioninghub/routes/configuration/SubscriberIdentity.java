package io.provisioninghub.routes.configuration;

/**
 * Who the network says is asking: an MSISDN (E.164 with '+') and/or an IMSI. Never printed: see
 * {@link io.provisioninghub.routes.common.Redaction} for log-safe references.
 */
record SubscriberIdentity(String msisdn, String imsi) {

    static final SubscriberIdentity NONE = new SubscriberIdentity(null, null);

    boolean isKnown() {
        return msisdn != null || imsi != null;
    }

    @Override
    public String toString() {
        return "SubscriberIdentity[redacted]";
    }
}
