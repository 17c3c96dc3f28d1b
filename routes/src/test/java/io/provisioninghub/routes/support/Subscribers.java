package io.provisioninghub.routes.support;

/**
 * The HLR stand-in's generated subscribers (n = 1 … 100,000; connectors/hlr V4 migration): active, entitled to
 * every sandbox service. Each OTP test takes numbers of its own, so the per-MSISDN SMS limits of one test never
 * touch another's.
 */
public record Subscribers(String imsi, String msisdn) {

    public static Subscribers generated(int n) {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("generated subscribers are 1..100000");
        }
        return new Subscribers("00101" + String.format("%010d", 1_000_000_000L + n),
                "+1555" + String.format("%07d", 1_000_000 + n));
    }

    /** The msisdn as RCC.14 Table 9 wants it in a query: '+' percent-encoded (RFC 3986 §2.1). */
    public String encodedMsisdn() {
        return "%2B" + msisdn.substring(1);
    }
}
