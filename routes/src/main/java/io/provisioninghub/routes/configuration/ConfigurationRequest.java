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

    /**
     * Identifies the device among the subscriber's devices, for the friendly-name conflict check (409): the IMEI,
     * else a digest of the terminal values (bounded in length whatever a client profile lets them be).
     */
    String deviceKey() {
        if (imei != null) {
            return "imei:" + imei;
        }
        byte[] digest = io.provisioninghub.routes.common.Secrets.sha256(
                terminalVendor + "\n" + terminalModel + "\n" + terminalSwVersion);
        return "terminal:" + java.util.HexFormat.of().formatHex(digest, 0, 16);
    }

    @Override
    public String toString() {
        return "ConfigurationRequest[profile=" + profile + ", vers=" + vers + "]";
    }
}
