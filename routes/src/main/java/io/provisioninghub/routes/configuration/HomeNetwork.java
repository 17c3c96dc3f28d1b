package io.provisioninghub.routes.configuration;

import java.util.Map;

/**
 * One home network (PLMN) and the identities TS 23.003 derives from it.
 *
 * @param mcc        3 digits
 * @param mnc        2 or 3 digits, as allocated
 * @param parameters static template parameters of this network ({@code ${network.<name>}})
 */
record HomeNetwork(String mcc, String mnc, Map<String, String> parameters) {

    /** MNC padded to 3 digits by a leading 0 (RCC.14 §2.2.1, IR.67). */
    String mnc3() {
        return mnc.length() == 2 ? "0" + mnc : mnc;
    }

    /** TS 23.003 §13.2: the home network domain derived from the IMSI's PLMN. */
    String imsDomain() {
        return "ims.mnc" + mnc3() + ".mcc" + mcc + ".3gppnetwork.org";
    }

    String id() {
        return mcc + "-" + mnc;
    }

    /** TS 23.003 §13.3: the private user identity derived from the IMSI. */
    String impi(String imsi) {
        return imsi + "@" + imsDomain();
    }

    /** TS 23.003 §13.4B: the temporary public user identity derived from the IMSI. */
    String temporaryImpu(String imsi) {
        return "sip:" + imsi + "@" + imsDomain();
    }
}
