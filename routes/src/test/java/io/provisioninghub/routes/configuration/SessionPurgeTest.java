package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CFG-2: cookie sessions expire, and the purge keeps up with the rate they are opened. At 1,000 first requests per
 * second 60,000 sessions expire per minute, more than one purge batch (10,000): every expired one must go in a
 * run, and no live one.
 */
class SessionPurgeTest {

    @Test // CFG-2
    void purgeRemovesEveryExpiredSessionInOneRunAndKeepsLiveOnes() {
        HubInstance hub = HubInstance.shared();
        JdbcTemplate db = hub.hubDatabase();
        db.update("INSERT INTO config_session (cookie_hash, msisdn, imsi, verified, created_at, expires_at) "
                + "SELECT sha256(('session-purge-test-' || g)::bytea), NULL, NULL, TRUE, now() - interval '1 hour', "
                + "now() - interval '1 minute' FROM generate_series(1, 25000) AS g");
        HttpResponse<String> first = hub.device().firstRequest("+15551000040", "001011000000040");
        String liveCookie = DeviceClient.cookieOf(first).orElseThrow();

        hub.context().getBean(ConfigurationSessions.class).purgeExpired();

        assertThat(db.queryForObject("SELECT count(*) FROM config_session WHERE expires_at < now()", Long.class))
                .isZero();
        // the session opened above is still honoured
        HttpResponse<String> second = hub.device().secureRequest(table1(0, null), liveCookie, Map.of());
        assertThat(second.statusCode()).isEqualTo(200);
    }
}
