package io.provisioninghub.connectors.hlr;

import java.util.Set;

/**
 * One subscriber as the HLR knows it: OsmoHLR's {@code subscriber} row plus the barring and service
 * (opt-out) data the hub needs to choose a configuration (RCC.14 §2.2.4 cases 4 and 7).
 *
 * @param id               the HLR's subscriber id
 * @param imsi             15 digits
 * @param msisdn           E.164 with a leading '+', or null when the HLR has none
 * @param imei             15 digits, or null
 * @param barredServices   services the subscriber is barred from; {@link #ALL_SERVICES} bars every service
 * @param optedOutServices services customer care has disabled on the subscriber's request (opt-out)
 */
public record HlrSubscriber(long id, String imsi, String msisdn, String imei,
                            Set<String> barredServices, Set<String> optedOutServices) {

    /** The barring entry that bars every service. */
    public static final String ALL_SERVICES = "*";

    public HlrSubscriber {
        barredServices = Set.copyOf(barredServices);
        optedOutServices = Set.copyOf(optedOutServices);
    }

    public boolean isBarredFrom(String service) {
        return barredServices.contains(ALL_SERVICES) || barredServices.contains(service);
    }

    public boolean hasOptedOutOf(String service) {
        return optedOutServices.contains(service);
    }

    /** Identifiers stay out of log lines: see {@code toString} of the callers' redaction helper. */
    @Override
    public String toString() {
        return "HlrSubscriber[id=" + id + "]";
    }
}
