package io.provisioninghub.connectors.billing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request of the ordering routes, kept as an exchange property so that every retry sends exactly this
 * request again, whatever the failed attempt left in the message (camel-http puts the answer there).
 *
 * @param method HTTP method
 * @param path   path under {@code <base-url>/tmf-api/}, e.g. {@code productOrdering/v4/productOrder}
 * @param query  raw (already encoded) query, or null
 * @param body   JSON to send, or null
 */
record BillingCall(String method, String path, String query, byte[] body) {

    /** Exchange property the routes read the call from. */
    static final String PROPERTY = "hubBillingCall";

    /** What billing answered, as the routes hand it back (never an exception for an answer billing meant). */
    record Answer(int status, JsonNode json, String reason) {

        static Answer ok(int status, JsonNode json) {
            return new Answer(status, json, null);
        }

        static Answer notFound() {
            return new Answer(404, null, null);
        }

        /** A 4xx refusal with billing's TMF error message (raw: the client redacts it before it goes anywhere). */
        static Answer refused(int status, String reason) {
            return new Answer(status, null, reason);
        }

        boolean isOk() {
            return status >= 200 && status <= 299;
        }
    }
}
