package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * The devices of one identity and their friendly names (Table 1 friendly_device_name). RCC.14 Table 8: a name
 * that another device of the same identity already uses → 409 Conflict, so the user can pick another.
 */
@Repository
class DeviceRegistrations {

    private final JdbcTemplate jdbc;

    DeviceRegistrations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Checks without claiming (before an OTP is sent). @throws RequestRejected 409 when another device holds it */
    void checkFriendlyName(String imsi, String deviceKey, String friendlyName) {
        List<String> holders = jdbc.queryForList("SELECT device_key FROM device_registration "
                + "WHERE imsi = ? AND friendly_device_name = ?", String.class, imsi, friendlyName);
        if (!holders.isEmpty() && !holders.get(0).equals(deviceKey)) {
            throw conflict();
        }
    }

    /** @throws RequestRejected 409 when another device of this identity holds the name */
    void claimFriendlyName(String imsi, String deviceKey, String friendlyName) {
        checkFriendlyName(imsi, deviceKey, friendlyName);
        try {
            jdbc.update("INSERT INTO device_registration (imsi, device_key, friendly_device_name) VALUES (?, ?, ?) "
                    + "ON CONFLICT (imsi, device_key) DO UPDATE SET friendly_device_name = EXCLUDED.friendly_device_name, "
                    + "updated_at = now()", imsi, deviceKey, friendlyName);
        } catch (DuplicateKeyException raced) {
            throw conflict();
        }
    }

    private static RequestRejected conflict() {
        return new RequestRejected(HubResponse.text(409, "Conflict: friendly_device_name already in use"),
                "duplicate friendly_device_name");
    }
}
