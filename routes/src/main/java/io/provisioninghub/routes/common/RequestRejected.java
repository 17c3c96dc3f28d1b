package io.provisioninghub.routes.common;

/**
 * A request the hub refuses with a status the spec names (RCC.14 Table 8: 403, 409, 503, 511 ...).
 * Thrown from any step of a flow and turned into the response by the route's exception clause.
 * It carries no stack trace: it is an answer, not a fault, and it is on the hot path of bad input.
 */
public class RequestRejected extends RuntimeException {

    private final transient HubResponse response;

    public RequestRejected(HubResponse response, String reason) {
        super(reason, null, false, false);
        this.response = response;
    }

    public static RequestRejected forbidden(String reason) {
        return new RequestRejected(HubResponse.text(403, "Forbidden"), reason);
    }

    public HubResponse response() {
        return response;
    }
}
