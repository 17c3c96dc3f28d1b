package io.provisioninghub.routes.configuration;

/**
 * The validated Table 1 parameters of an HTTPS configuration request (RCC.14 §2.2.1).
 *
 * @param profile the request-rules profile that validated it ("rcc14" for the spec's own rules)
 * @param vers    -2, -1, 0 or the client's version
 */
record ConfigurationRequest(String profile, long vers, String imsi, String imei,
                            String terminalVendor, String terminalModel, String terminalSwVersion,
                            String friendlyDeviceName) {

    /** Identifies the device among the subscriber's devices, for the friendly-name conflict check (409). */
    String deviceKey() {
        if (imei != null) {
            return "imei:" + imei;
        }
        return "terminal:" + terminalVendor + "/" + terminalModel + "/" + terminalSwVersion;
    }

    @Override
    public String toString() {
        return "ConfigurationRequest[profile=" + profile + ", vers=" + vers + "]";
    }
}
