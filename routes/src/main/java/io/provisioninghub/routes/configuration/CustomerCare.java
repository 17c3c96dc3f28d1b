package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.hlr.HlrClient;
import org.springframework.stereotype.Service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What customer care may do to a subscriber's configuration (OPS-4), used by the operator API. */
@Service
public class CustomerCare {

    private final HlrClient hlr;
    private final ConfigurationVersions versions;

    CustomerCare(HlrClient hlr, ConfigurationVersions versions) {
        this.hlr = hlr;
        this.versions = versions;
    }

    /**
     * RCC.14 §2.2.4 case 3: "the user has requested a reconfiguration through their Service Provider's Customer
     * Care" — the next check gets the full document.
     *
     * @return false when the HLR does not know the IMSI
     */
    public boolean markForResend(String imsi) {
        if (hlr.findByImsi(imsi).isEmpty()) {
            return false;
        }
        versions.markForResend(imsi);
        return true;
    }

    /** The configuration state of a subscriber, or empty when the HLR does not know the IMSI. */
    public Optional<Map<String, Object>> configurationState(String imsi) {
        if (hlr.findByImsi(imsi).isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> rows = versions.stateOf(imsi);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("imsi", imsi);
        if (rows.isEmpty()) {
            state.put("lastVersion", 0);
            state.put("resendRequested", false);
            state.put("lastServedAt", null);
        } else {
            Map<String, Object> row = rows.get(0);
            state.put("lastVersion", row.get("last_version"));
            state.put("resendRequested", row.get("resend_requested"));
            Object served = row.get("last_served_at");
            state.put("lastServedAt", served == null ? null : served.toString());
        }
        return Optional.of(state);
    }
}
